package dev.tradeplane.ops.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** OPS' log of the events it has seen on the bus, each once. */
@Singleton
public class EventRepository {

    private final Pool pool;
    private final ObjectMapper mapper;

    public EventRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /**
     * Stores the event unless its id is already stored, and in the same transaction applies it to OPS' views (a
     * {@code position.changed} updates the position, if it is newer), noting which consumer stored it. The stored
     * copy with its position in the log and its JSON as stored, or empty for a duplicate.
     */
    public Uni<Optional<StoredEvent>> insertIfNew(Event event, String json, String storedBy) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO events (id, type, source, occurred_at, event, stored_by) "
                                + "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6) ON CONFLICT (id) DO NOTHING RETURNING seq, event::text AS event")
                        .execute(Tuple.of(UUID.fromString(event.id()), event.type(), event.source(), event.time().atOffset(ZoneOffset.UTC), json,
                                storedBy))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(Optional.<StoredEvent>empty());
                            }
                            // As a replay reads it back, so a client gets the same data live or replayed.
                            Row row = rows.iterator().next();
                            StoredEvent stored = new StoredEvent(row.getLong("seq"), event, row.getString("event"));
                            return project(tx, event).replaceWith(Optional.of(stored));
                        }));
    }

    private Uni<Void> project(io.vertx.mutiny.sqlclient.SqlConnection tx, Event event) {
        if (!dev.tradeplane.model.EventTypes.POSITION_CHANGED.equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        dev.tradeplane.model.Position p = mapper.convertValue(event.payload(), dev.tradeplane.model.Position.class);
        dev.tradeplane.model.InstrumentId id = dev.tradeplane.model.InstrumentId.parse(p.symbol()).orElseThrow();
        return tx.preparedQuery("INSERT INTO positions (venue, symbol, model, quantity, average_price, realized_pnl, fees, mark_price, "
                        + "unrealized_pnl, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                        + "ON CONFLICT (venue, symbol, model) DO UPDATE SET quantity = EXCLUDED.quantity, average_price = EXCLUDED.average_price, "
                        + "realized_pnl = EXCLUDED.realized_pnl, fees = EXCLUDED.fees, mark_price = EXCLUDED.mark_price, "
                        + "unrealized_pnl = EXCLUDED.unrealized_pnl, updated_at = EXCLUDED.updated_at "
                        + "WHERE positions.updated_at <= EXCLUDED.updated_at")
                .execute(Tuple.tuple().addValue(id.venue()).addValue(id.symbol()).addValue(p.model()).addValue(p.quantity())
                        .addValue(p.averagePrice()).addValue(p.realizedPnl()).addValue(p.fees()).addValue(p.markPrice())
                        .addValue(p.unrealizedPnl()).addValue(p.updatedAt().atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** A stored event, by id, if {@code storedBy} stored it: its position in the log and its JSON as stored. */
    public Uni<Optional<StoredEvent>> storedBy(Event event, String storedBy) {
        return pool.preparedQuery("SELECT seq, event::text AS event FROM events WHERE id = $1 AND stored_by = $2")
                .execute(Tuple.of(UUID.fromString(event.id()), storedBy))
                .map(rows -> rows.size() == 0 ? Optional.<StoredEvent>empty()
                        : Optional.of(new StoredEvent(rows.iterator().next().getLong("seq"), event, rows.iterator().next().getString("event"))));
    }

    /** The position of an event, by id. */
    public Uni<Optional<Long>> seqOf(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery("SELECT seq FROM events WHERE id = $1").execute(Tuple.of(uuid))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("seq")));
    }

    /** At most {@code limit} events after position {@code after} and before position {@code before}, oldest first. */
    public Uni<List<StoredEvent>> between(long after, long before, int limit) {
        return pool.preparedQuery("SELECT seq, event::text AS event FROM events WHERE seq > $1 AND seq < $2 ORDER BY seq LIMIT $3")
                .execute(Tuple.of(after, before, limit))
                .map(rows -> {
                    List<StoredEvent> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        String json = r.getString("event");
                        out.add(new StoredEvent(r.getLong("seq"), parse(json), json));
                    }
                    return out;
                });
    }

    /** The newest position, 0 when there is none. */
    public Uni<Long> lastSeq() {
        return pool.query("SELECT coalesce(max(seq), 0) AS seq FROM events").execute().map(rows -> rows.iterator().next().getLong("seq"));
    }

    private Event parse(String json) {
        try {
            return mapper.readValue(json, Event.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event is unreadable", e);
        }
    }
}
