package dev.tradeplane.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes events into the outbox table inside the caller's transaction (DESIGN 3): the event exists exactly when
 * the state change that caused it was committed. {@link OutboxRelay} publishes it afterwards.
 */
@Singleton
public class Outbox {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final ObjectMapper mapper;
    private final Clock clock;
    private final String source;
    private final String insertSql;
    private final OutboxRelay relay;

    public Outbox(ObjectMapper mapper, Clock clock, EventsConfig config, OutboxRelay relay) {
        this.mapper = mapper;
        this.clock = clock;
        this.source = config.source();
        this.relay = relay;
        this.insertSql = "INSERT INTO " + schema(config) + ".outbox (id, type, occurred_at, event) VALUES ($1, $2, $3, $4::text::jsonb)";
    }

    static String schema(EventsConfig config) {
        if (!IDENTIFIER.matcher(config.outboxSchema()).matches()) {
            throw new IllegalStateException("tradeplane.events.outbox-schema must be a plain lower-case identifier");
        }
        return config.outboxSchema();
    }

    /** A new event from this service, stamped now. */
    public Event event(String type, Object payload) {
        return new Event(UUID.randomUUID().toString(), type, clock.instant(), source, mapper.valueToTree(payload));
    }

    /** Appends the events in the given transaction. */
    public Uni<Void> append(SqlConnection tx, List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(events.size());
        for (Event e : events) {
            rows.add(Tuple.of(UUID.fromString(e.id()), e.type(), e.time().atOffset(ZoneOffset.UTC), json(e)));
        }
        return tx.preparedQuery(insertSql).executeBatch(rows).replaceWithVoid();
    }

    private String json(Event event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.type() + " cannot be serialized", e);
        }
    }

    /** Tells the relay that new events were committed, so they leave now rather than at the next poll. */
    public void committed() {
        relay.nudge();
    }
}
