package dev.tradeplane.ops.event.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.ops.event.EventBusConfig;
import dev.tradeplane.ops.event.EventFeed;
import dev.tradeplane.ops.event.StoredEvent;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code GET /events}: every event on the bus as Server-Sent Events ({@code id} is the event id, {@code event} its
 * type, {@code data} the envelope). {@code type} filters by type ({@code order.*} matches a prefix); a
 * {@code Last-Event-ID} header (or {@code last_event_id} parameter) first replays what came after that event, or
 * sends {@code event: reset} when OPS has no such event. What is sent, and in which order: {@link EventFeed}.
 */
@Path("/events")
public class EventResource {

    private final EventFeed feed;
    private final EventBusConfig config;
    private final dev.tradeplane.ops.event.EventBroadcaster broadcaster;

    public EventResource(EventFeed feed, EventBusConfig config, dev.tradeplane.ops.event.EventBroadcaster broadcaster) {
        this.feed = feed;
        this.config = config;
        this.broadcaster = broadcaster;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventHeader,
                                          @QueryParam("last_event_id") String lastEventParam, @QueryParam("type") String type) {
        boolean fromHeader = lastEventHeader != null && !lastEventHeader.isBlank();
        String lastEventId = fromHeader ? lastEventHeader.trim() : lastEventParam == null || lastEventParam.isBlank() ? null : lastEventParam.trim();
        if (lastEventId != null && !isUuid(lastEventId)) {
            throw Problems.invalid(fromHeader ? "Last-Event-ID" : "last_event_id", "must be the id of an event from this stream (a UUID)");
        }
        if (broadcaster.subscribers() >= config.sseMaxConnections()) {
            throw Problems.unavailable(dev.tradeplane.model.ProblemTypes.SERVICE_UNAVAILABLE, "Too many event streams",
                    "This OPS serves " + config.sseMaxConnections() + " GET /events connections at most (tradeplane.events.sse-max-connections); "
                            + "try again later, resuming with your Last-Event-ID.", 5);
        }
        Multi<OutboundSseEvent> data = feed.follow(lastEventId, typeFilter(type)).map(item -> switch (item) {
            case EventFeed.Stored(StoredEvent e) -> sse.newEventBuilder().id(e.event().id()).name(e.event().type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(e.json()).build();
            case EventFeed.Reset(String unknownId) -> sse.newEventBuilder().name("reset").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data("{\"last_event_id\":\"" + unknownId + "\",\"detail\":\"OPS has no event with this id; the events that follow are "
                            + "those stored from now on\"}").build();
        });
        Multi<OutboundSseEvent> heartbeat = Multi.createFrom().ticks().every(config.sseHeartbeat())
                .map(t -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(data, heartbeat);
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Predicate<StoredEvent> typeFilter(String type) {
        if (type == null || type.isBlank() || type.equals("*")) {
            return e -> true;
        }
        if (type.endsWith("*")) {
            String prefix = type.substring(0, type.length() - 1);
            return e -> e.event().type().startsWith(prefix);
        }
        return e -> e.event().type().equals(type);
    }
}
