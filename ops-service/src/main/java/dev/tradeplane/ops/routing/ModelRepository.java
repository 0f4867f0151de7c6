package dev.tradeplane.ops.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.BacktestStats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Queries on the strategy registry. Writes take the caller's transaction. */
@Singleton
public class ModelRepository {

    private static final String COLUMNS = "name, status, weight, target_weight, venues, symbols, backtest::text AS backtest, owner, paused_from, "
            + "created_at, updated_at, version, status_reason, execution::text AS execution";

    private final Pool pool;
    private final ObjectMapper mapper;

    public ModelRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** Every model, by name. */
    public Uni<List<Model>> all() {
        return pool.query("SELECT " + COLUMNS + " FROM models ORDER BY name").execute().map(rows -> {
            List<Model> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(model(r));
            }
            return out;
        });
    }

    public Uni<Optional<Model>> find(String name) {
        return find(pool, name, false);
    }

    /** The model, its row locked until {@code tx} ends. */
    public Uni<Optional<Model>> lock(SqlConnection tx, String name) {
        return find(tx, name, true);
    }

    private Uni<Optional<Model>> find(SqlClient client, String name, boolean lock) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM models WHERE name = $1" + (lock ? " FOR UPDATE" : ""))
                .execute(Tuple.of(name))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(model(rows.iterator().next())) : Optional.empty());
    }

    /** Inserts the model; false when the name is taken. */
    public Uni<Boolean> insert(SqlConnection tx, Model m) {
        return tx.preparedQuery("INSERT INTO models (name, status, weight, target_weight, venues, symbols, backtest, owner, paused_from, "
                        + "created_at, updated_at, version, status_since, status_reason, execution) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10, $11, 0, $11, $12, $13::text::jsonb) "
                        + "ON CONFLICT (name) DO NOTHING")
                .execute(tuple(m))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes the model as given, bumping its version. */
    public Uni<Void> update(SqlConnection tx, Model m) {
        return tx.preparedQuery("UPDATE models SET status_since = CASE WHEN status <> $2 THEN $10 ELSE status_since END, status = $2, "
                        + "weight = $3, target_weight = $4, venues = $5, symbols = $6, backtest = $7::text::jsonb, owner = $8, paused_from = $9, "
                        + "updated_at = $10, status_reason = $11, execution = $12::text::jsonb, version = version + 1 WHERE name = $1")
                .execute(Tuple.from(updateValues(m)))
                .replaceWithVoid();
    }

    private Tuple tuple(Model m) {
        return Tuple.from(values(m));
    }

    /** The values without created_at: $10 is updated_at, $11 status_reason. */
    private Object[] updateValues(Model m) {
        Object[] all = values(m);
        Object[] out = java.util.Arrays.copyOf(all, 12);
        out[9] = all[10];
        out[10] = all[11];
        out[11] = all[12];
        return out;
    }

    private Object[] values(Model m) {
        return new Object[] {m.name(), m.status().dbValue(), m.weight(), m.targetWeight(),
                m.venues() == null ? null : m.venues().toArray(String[]::new), m.symbols() == null ? null : m.symbols().toArray(String[]::new),
                json(m.backtest()), m.owner(), m.pausedFrom() == null ? null : m.pausedFrom().dbValue(),
                m.createdAt().atOffset(ZoneOffset.UTC), m.updatedAt().atOffset(ZoneOffset.UTC), m.statusReason(),
                m.execution() == null ? null : jsonOf(m.execution())};
    }

    private Model model(Row r) {
        String paused = r.getString("paused_from");
        return new Model(r.getString("name"), ModelStatus.fromDb(r.getString("status")), r.getBigDecimal("weight").stripTrailingZeros(),
                r.getBigDecimal("target_weight").stripTrailingZeros(), list(r.getArrayOfStrings("venues")), list(r.getArrayOfStrings("symbols")),
                backtest(r.getString("backtest")), r.getString("owner"), paused == null ? null : ModelStatus.fromDb(paused),
                instant(r, "created_at"), instant(r, "updated_at"), r.getLong("version"), r.getString("status_reason"),
                execution(r.getString("execution")));
    }

    private static List<String> list(String[] values) {
        return values == null ? null : List.copyOf(Arrays.asList(values));
    }

    private static Instant instant(Row r, String column) {
        return r.getOffsetDateTime(column).toInstant();
    }

    private String json(BacktestStats stats) {
        try {
            return stats == null ? null : mapper.writeValueAsString(stats);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jsonOf(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private dev.tradeplane.model.Execution execution(String json) {
        try {
            return json == null ? null : mapper.readValue(json, dev.tradeplane.model.Execution.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable execution of a model: " + json, e);
        }
    }

    private BacktestStats backtest(String json) {
        try {
            return json == null ? null : mapper.readValue(json, BacktestStats.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable backtest of a model: " + json, e);
        }
    }
}
