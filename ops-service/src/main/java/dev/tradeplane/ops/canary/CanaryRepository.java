package dev.tradeplane.ops.canary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.CanaryDecision;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the canary manager reads about a model's live record, and its decisions. */
@Singleton
public class CanaryRepository {

    /** A model under watch: its status and since when. */
    public record Watched(String name, String status, Instant since) {}

    /** One PnL sample: the model's PnL and the account's equity at the time. */
    public record Sample(BigDecimal pnl, BigDecimal equity) {}

    /** One position change of the model: its instrument, quantity and realized PnL after it. */
    public record Change(String instrument, BigDecimal quantity, BigDecimal realized, Instant at) {}

    private final Pool pool;
    private final ObjectMapper mapper;

    public CanaryRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<List<Watched>> watched() {
        return pool.query("SELECT name, status, status_since FROM models WHERE status IN ('canary', 'active') ORDER BY name").execute()
                .map(rows -> {
                    List<Watched> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Watched(r.getString("name"), r.getString("status"), r.getOffsetDateTime("status_since").toInstant()));
                    }
                    return out;
                });
    }

    /** Fills of the model since {@code from}, from the engines' order.filled events. */
    public Uni<Integer> fills(String model, Instant from) {
        return pool.preparedQuery("SELECT count(*) AS n FROM events WHERE type = 'order.filled' AND event->'payload'->>'model' = $1 "
                        + "AND occurred_at >= $2")
                .execute(Tuple.of(model, from.atOffset(ZoneOffset.UTC))).map(rows -> (int) rows.iterator().next().getLong("n").longValue());
    }

    /** Every position change of the model, oldest first. */
    public Uni<List<Change>> changes(String model) {
        return pool.preparedQuery("SELECT event->'payload'->>'venue' AS venue, event->'payload'->>'symbol' AS symbol, "
                        + "event->'payload'->>'quantity' AS quantity, event->'payload'->>'realized_pnl' AS realized, occurred_at FROM events "
                        + "WHERE type = 'position.changed' AND event->'payload'->>'model' = $1 ORDER BY seq")
                .execute(Tuple.of(model)).map(rows -> {
                    List<Change> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Change(r.getString("symbol") + "." + r.getString("venue"), new BigDecimal(r.getString("quantity")),
                                new BigDecimal(r.getString("realized")), r.getOffsetDateTime("occurred_at").toInstant()));
                    }
                    return out;
                });
    }

    /** The model's PnL samples since {@code from}, oldest first. */
    public Uni<List<Sample>> samples(String model, Instant from) {
        return pool.preparedQuery("SELECT pnl, equity FROM model_pnl WHERE model = $1 AND at >= $2 ORDER BY at")
                .execute(Tuple.of(model, from.atOffset(ZoneOffset.UTC))).map(rows -> {
                    List<Sample> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Sample(r.getBigDecimal("pnl"), r.getBigDecimal("equity")));
                    }
                    return out;
                });
    }

    /** The last decision for each model. */
    public Uni<Map<String, String>> lastDecisions() {
        return pool.query("SELECT DISTINCT ON (model) model, decision FROM canary_decisions ORDER BY model, seq DESC").execute().map(rows -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.put(r.getString("model"), r.getString("decision"));
            }
            return out;
        });
    }

    public Uni<Long> insert(SqlConnection tx, CanaryDecision d) {
        return tx.preparedQuery("INSERT INTO canary_decisions (at, model, status_before, decision, status_after, stats, thresholds, reason) "
                        + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8) RETURNING seq")
                .execute(Tuple.from(new Object[] {d.at().atOffset(ZoneOffset.UTC), d.model(), d.statusBefore(), d.decision(), d.statusAfter(),
                        json(d.stats()), json(d.thresholds()), d.reason()}))
                .map(rows -> rows.iterator().next().getLong("seq"));
    }

    public Uni<List<CanaryDecision>> list(String model, int limit) {
        return pool.preparedQuery("SELECT seq, at, model, status_before, decision, status_after, stats::text AS stats, thresholds::text AS thresholds, "
                        + "reason FROM canary_decisions WHERE ($1::text IS NULL OR model = $1) ORDER BY seq DESC LIMIT $2")
                .execute(Tuple.of(model, limit)).map(rows -> {
                    List<CanaryDecision> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new CanaryDecision(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("model"),
                                r.getString("status_before"), r.getString("decision"), r.getString("status_after"), r.getString("reason"),
                                read(r.getString("stats"), CanaryDecision.Stats.class), read(r.getString("thresholds"), CanaryDecision.Thresholds.class)));
                    }
                    return out;
                });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable canary decision json", e);
        }
    }
}
