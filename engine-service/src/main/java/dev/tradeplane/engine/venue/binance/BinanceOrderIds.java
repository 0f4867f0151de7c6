package dev.tradeplane.engine.venue.binance;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The Binance order ids each of our orders has been through (table {@code binance_orders}): one per cancel/replace,
 * all under the same client order id. Binance answers a query by client order id with the latest only; these let a
 * restarted adapter read the trades of the earlier ones too.
 */
@Singleton
public class BinanceOrderIds {

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
}
