package dev.tradeplane.engine.support;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;

/** Row counts of the tables a request may write, to prove a refused request wrote nothing. */
public final class Tables {

    private static final String[] TABLES = {"orders", "order_transitions", "fills", "positions", "idempotency_keys", "outbox", "chases"};

    private Tables() {}

    public static Map<String, Long> counts(Pool pool) {
        java.util.LinkedHashMap<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, pool.query("SELECT count(*) AS n FROM engine." + table).execute()
                    .map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(5)));
        }
        return counts;
    }
}
