package dev.tradeplane.engine.risk;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Optional;

/** Named, versioned JSON documents of the risk subsystem (limits, kill switch, breakers, monitors) and the audit trail. */
@Singleton
public class RiskSettingsRepository {

    /** A stored document and its version. */
    public record Stored(String json, long version) {}

    private final Pool pool;

    public RiskSettingsRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Stored>> find(String name) {
        return pool.preparedQuery("SELECT value::text AS value, version FROM risk_settings WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    return Optional.of(new Stored(r.getString("value"), r.getLong("version")));
                });
    }

    /** The current version, locked for the rest of the transaction; 0 when the document does not exist yet. */
    public Uni<Long> lockVersion(SqlConnection tx, String name) {
        return tx.preparedQuery("SELECT version FROM risk_settings WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("version"));
    }

    public Uni<Void> save(SqlConnection tx, String name, String json, long version, Instant at) {
        return tx.preparedQuery("INSERT INTO risk_settings (name, value, version, updated_at) VALUES ($1, $2::text::jsonb, $3, $4) "
                        + "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(name, json, version, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** Saves outside any other transaction, bumping the version. */
    public Uni<Void> put(String name, String json, Instant at) {
        return pool.preparedQuery("INSERT INTO risk_settings (name, value, version, updated_at) VALUES ($1, $2::text::jsonb, 1, $3) "
                        + "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, version = risk_settings.version + 1, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(name, json, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Void> audit(SqlConnection tx, Instant at, String actor, String action, String detail, String before, String after) {
        return tx.preparedQuery("INSERT INTO risk_audit (at, actor, action, detail, before, after) "
                        + "VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb)")
                .execute(Tuple.tuple().addValue(at.atOffset(ZoneOffset.UTC)).addValue(actor).addValue(action).addValue(detail)
                        .addValue(before).addValue(after))
                .replaceWithVoid();
    }
}
