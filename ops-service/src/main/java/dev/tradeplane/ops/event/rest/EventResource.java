package dev.tradeplane.ops.event.rest;

import dev.tradeplane.ops.event.EventBroadcaster;
import dev.tradeplane.ops.event.EventBusConfig;
import dev.tradeplane.ops.event.EventRepository;
import dev.tradeplane.ops.event.StoredEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * {@code GET /events}: every event on the bus as Server-Sent Events ({@code id} is the event id, {@code event} its
 * type, {@code data} the envelope). {@code type} filters by type ({@code order.*} matches a prefix); a
 * {@code Last-Event-ID} header (or {@code last_event_id} parameter) first replays what came after that event.
 */
@Path("/events")
public class EventResource {

    private static final int REPLAY_LIMIT = 10_000;
    private static final int LIVE_BUFFER = 10_000;

    private final EventRepository events;
    private final EventBroadcaster broadcaster;
    private final EventBusConfig config;

    public EventResource(EventRepository events, EventBroadcaster broadcaster, EventBusConfig config) {
        this.events = events;
        this.broadcaster = broadcaster;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventHeader,
                                          @QueryParam("last_event_id") String lastEventParam, @QueryParam("type") String type) {
        Predicate<StoredEvent> filter = typeFilter(type);
        String lastEventId = lastEventHeader != null ? lastEventHeader : lastEventParam;
        AtomicLong highest = new AtomicLong();
        // Subscribe to live events first (buffered), then replay from the log; live events already replayed are skipped.
        Multi<StoredEvent> live = broadcaster.live().onOverflow().buffer(LIVE_BUFFER);
        Uni<List<StoredEvent>> replay = lastEventId == null
                ? events.lastSeq().invoke(highest::set).replaceWith(List.of())
                : events.seqOf(lastEventId).flatMap(seq -> seq.isPresent()
                        ? events.after(seq.get(), REPLAY_LIMIT)
                        : events.lastSeq().invoke(highest::set).replaceWith(List.<StoredEvent>of()));
        Multi<StoredEvent> ordered = Multi.createBy().concatenating().streams(
                        replay.toMulti().flatMap(list -> Multi.createFrom().iterable(list)).invoke(e -> highest.accumulateAndGet(e.seq(), Math::max)),
                        live.filter(e -> e.seq() > highest.get()))
                .filter(filter);
        Multi<OutboundSseEvent> data = ordered.map(e -> sse.newEventBuilder().id(e.event().id()).name(e.event().type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(e.json()).build());
        Multi<OutboundSseEvent> heartbeat = Multi.createFrom().ticks().every(config.sseHeartbeat())
                .map(t -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(data, heartbeat);
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
