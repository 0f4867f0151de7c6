package dev.tradeplane.engine.account;

import static dev.tradeplane.engine.persistence.Sql.decimal;
import static dev.tradeplane.engine.persistence.Sql.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queries on balances. Balances are shared by every instrument of a venue (USDT by BTCUSDT and ETHUSDT), so they
 * change by atomic increments in the database rather than by one lane's absolute values.
 */
@Singleton
public class BalanceRepository {

    private final Pool pool;

    public BalanceRepository(Pool pool) {
        this.pool = pool;
    }

    /** Adds each delta to its asset's balance, creating the row at zero first. */
    public Uni<Void> add(SqlConnection tx, String venue, Map<String, BigDecimal> deltas, Instant at) {
        if (deltas.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(deltas.size());
        // Sorted by asset so two transactions touching the same assets lock them in the same order.
        deltas.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> rows.add(Tuple.of(venue, e.getKey(), e.getValue(), utc(at))));
        return tx.preparedQuery("INSERT INTO balances (venue, asset, amount, updated_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (venue, asset) DO UPDATE SET amount = balances.amount + EXCLUDED.amount, updated_at = EXCLUDED.updated_at")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Creates the starting balances of a venue that has none yet. */
    public Uni<Void> initialize(String venue, Map<String, BigDecimal> initial, Instant at) {
        if (initial.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM balances WHERE venue = $1 LIMIT 1").execute(Tuple.of(venue))
                .flatMap(rows -> rows.size() > 0 ? Uni.createFrom().voidItem() : add(tx, venue, initial, at)));
    }

    /** Balances by venue, then asset. */
    public Uni<Map<String, Map<String, BigDecimal>>> all() {
        return pool.query("SELECT venue, asset, amount FROM balances ORDER BY venue, asset").execute()
                .map(rows -> {
                    Map<String, Map<String, BigDecimal>> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        out.computeIfAbsent(r.getString("venue"), v -> new LinkedHashMap<>()).put(r.getString("asset"), decimal(r, "amount"));
                    }
                    return out;
                });
    }
}
