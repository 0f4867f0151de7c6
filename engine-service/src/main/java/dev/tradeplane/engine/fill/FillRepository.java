package dev.tradeplane.engine.fill;

import static dev.tradeplane.engine.persistence.Sql.decimal;
import static dev.tradeplane.engine.persistence.Sql.instant;
import static dev.tradeplane.engine.persistence.Sql.utc;

import dev.tradeplane.model.Fill;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.Side;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Queries on fills. */
@Singleton
public class FillRepository {

    private static final String COLUMNS = "id, order_id, trade_id, symbol, venue, side, quantity, price, fee, fee_asset, liquidity, model, executed_at";

    private final Pool pool;

    public FillRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts fills; {@code tradeIds} line up with {@code fills}. */
    public Uni<Void> insert(SqlConnection tx, List<Fill> fills, List<String> tradeIds) {
        if (fills.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(fills.size());
        for (int i = 0; i < fills.size(); i++) {
            Fill f = fills.get(i);
            InstrumentId id = InstrumentId.parse(f.symbol()).orElseThrow();
            Tuple t = Tuple.tuple(List.of(UUID.fromString(f.id()), UUID.fromString(f.orderId()), tradeIds.get(i), id.symbol(),
                    id.venue(), f.side().name(), f.quantity(), f.price()));
            t.addValue(f.fee()).addValue(f.feeAsset()).addValue(f.liquidity().name()).addValue(f.model()).addValue(utc(f.executedAt()));
            rows.add(t);
        }
        return tx.preparedQuery("INSERT INTO fills (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
                .executeBatch(rows).replaceWithVoid();
    }

    /** The venue trade ids already recorded for an order. */
    public Uni<java.util.Set<String>> tradeIds(UUID orderId) {
        return pool.preparedQuery("SELECT trade_id FROM fills WHERE order_id = $1").execute(Tuple.of(orderId)).map(rows -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (Row r : rows) {
                ids.add(r.getString("trade_id"));
            }
            return ids;
        });
    }

    /** Newest first; every filter may be null. */
    public Uni<List<Fill>> list(UUID orderId, InstrumentId instrument, String model, Instant since, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM fills WHERE ($1::uuid IS NULL OR order_id = $1) "
                        + "AND ($2::text IS NULL OR (symbol = $2 AND venue = $3)) AND ($4::text IS NULL OR model = $4) "
                        + "AND ($5::timestamptz IS NULL OR executed_at >= $5) ORDER BY executed_at DESC, id LIMIT $6")
                .execute(Tuple.of(orderId, instrument == null ? null : instrument.symbol(), instrument == null ? null : instrument.venue(),
                        model, utc(since), limit))
                .map(FillRepository::toFills);
    }

    /** Every fill of the given orders, oldest first: no page, for sums that must count them all. */
    public Uni<List<Fill>> allOf(List<UUID> orderIds) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM fills WHERE order_id = ANY($1) ORDER BY executed_at, id")
                .execute(Tuple.of(orderIds.toArray(UUID[]::new)))
                .map(FillRepository::toFills);
    }

    private static List<Fill> toFills(RowSet<Row> rows) {
        List<Fill> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new Fill(r.getUUID("id").toString(), r.getUUID("order_id").toString(),
                    r.getString("symbol") + "." + r.getString("venue"), r.getString("venue"), Side.valueOf(r.getString("side")),
                    decimal(r, "quantity"), decimal(r, "price"), decimal(r, "fee"), r.getString("fee_asset"),
                    Liquidity.valueOf(r.getString("liquidity")), r.getString("model"), instant(r, "executed_at")));
        }
        return out;
    }
}
