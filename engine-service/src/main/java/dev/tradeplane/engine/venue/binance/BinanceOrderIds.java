package dev.tradeplane.engine.venue.binance;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The Binance order ids each of our orders has been through (table {@code binance_orders}): one per cancel/replace,
 * all under the same client order id. Binance answers a query by client order id with the latest only; these let a
 * restarted adapter read the trades of the earlier ones too. Only working orders are asked about, so the rows of an
 * order the engine ended {@link #RETENTION} ago are forgotten, once a day.
 */
@Singleton
public class BinanceOrderIds {

    private static final Logger LOG = Logger.getLogger(BinanceOrderIds.class);
    /**
     * How long the rows of an ended order are kept: well past anything that asks Binance about it (a replace's
     * settlement, reconciliation, a late fill: seconds to minutes after it ended).
     */
    static final Duration RETENTION = Duration.ofDays(7);

    private final Pool pool;

    public BinanceOrderIds(Pool pool) {
        this.pool = pool;
    }

    /** Records that our order {@code clientOrderId} is (or was) Binance's order {@code binanceOrderId}; once. */
    public Uni<Void> save(String symbol, long binanceOrderId, String clientOrderId) {
        return pool.preparedQuery("INSERT INTO binance_orders (symbol, binance_order_id, client_order_id) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(symbol, binanceOrderId, clientOrderId)).replaceWithVoid();
    }

    /** The Binance order ids our order has been, oldest first. */
    public Uni<List<Long>> of(String symbol, String clientOrderId) {
        return pool.preparedQuery("SELECT binance_order_id FROM binance_orders WHERE symbol = $1 AND client_order_id = $2 "
                        + "ORDER BY binance_order_id")
                .execute(Tuple.of(symbol, clientOrderId))
                .map(rows -> {
                    List<Long> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(r.getLong("binance_order_id"));
                    }
                    return out;
                });
    }

    @Scheduled(every = "24h", delayed = "10m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetEndedOrders() {
        return forgetEnded(RETENTION).invoke(rows -> {
            if (rows > 0) {
                LOG.infof("Forgot %d Binance order id(s) of orders ended more than %s ago", rows, RETENTION);
            }
        }).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("Binance order id clean-up failed (tried again tomorrow): %s", e.getMessage());
            return null;
        });
    }

    /**
     * Forgets the rows older than {@code age} whose order the engine has ended (final) and not changed for
     * {@code age}, or does not have at all (a stranger's order); answers how many went. A working order's rows stay,
     * however old.
     */
    Uni<Integer> forgetEnded(Duration age) {
        return pool.preparedQuery("DELETE FROM binance_orders b WHERE b.created_at < now() - make_interval(secs => $1) AND NOT EXISTS ("
                        + "SELECT 1 FROM orders o WHERE o.client_order_id = b.client_order_id AND (o.status NOT IN "
                        + "('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED') OR o.updated_at >= now() - make_interval(secs => $1)))")
                .execute(Tuple.of(age.toSeconds())).map(rows -> rows.rowCount());
    }
}
