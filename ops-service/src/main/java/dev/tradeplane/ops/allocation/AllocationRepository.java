package dev.tradeplane.ops.allocation;

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
import java.util.Optional;

/** Queries for the allocator: PnL samples, exposures, and the record of allocations. */
@Singleton
public class AllocationRepository {

    /** A stored allocation: when, and the shares JSON as written. */
    public record Stored(long seq, Instant at, String sharesJson) {}

    private final Pool pool;

    public AllocationRepository(Pool pool) {
        this.pool = pool;
    }

    /** Each model's PnL now (realized net of fees plus unrealized), from OPS' positions. */
    public Uni<Map<String, BigDecimal>> pnlByModel() {
        return pool.query("SELECT model, sum(realized_pnl + coalesce(unrealized_pnl, 0)) AS pnl FROM positions GROUP BY model").execute()
                .map(rows -> {
                    Map<String, BigDecimal> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("model"), r.getBigDecimal("pnl"));
                    }
                    return out;
                });
    }

    /** A model's gross exposure: the sum over its positions of |quantity| at the last mark (or its average price). */
    public Uni<BigDecimal> exposure(String model) {
        return pool.preparedQuery("SELECT coalesce(sum(abs(quantity) * coalesce(mark_price, average_price)), 0) AS e FROM positions WHERE model = $1")
                .execute(Tuple.of(model)).map(rows -> rows.iterator().next().getBigDecimal("e"));
    }

    /** A model's net position in one instrument. */
    public Uni<BigDecimal> position(String model, String venue, String symbol) {
        return pool.preparedQuery("SELECT quantity FROM positions WHERE model = $1 AND venue = $2 AND symbol = $3")
                .execute(Tuple.of(model, venue, symbol))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBigDecimal("quantity") : BigDecimal.ZERO);
    }

    public Uni<Void> sample(Map<String, BigDecimal> pnl, BigDecimal equity, Instant at) {
        if (pnl.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        pnl.forEach((model, value) -> rows.add(Tuple.of(model, at.atOffset(ZoneOffset.UTC), value, equity)));
        return pool.preparedQuery("INSERT INTO model_pnl (model, at, pnl, equity) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Each model's returns since {@code from}: the change of its PnL between samples, as a fraction of the equity then. */
    public Uni<Map<String, double[]>> returns(Instant from) {
        return pool.preparedQuery("SELECT model, pnl, equity FROM model_pnl WHERE at >= $1 ORDER BY model, at")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, List<Double>> series = new LinkedHashMap<>();
                    Map<String, BigDecimal> last = new LinkedHashMap<>();
                    for (Row r : rows) {
                        String model = r.getString("model");
                        BigDecimal pnl = r.getBigDecimal("pnl");
                        BigDecimal equity = r.getBigDecimal("equity");
                        BigDecimal previous = last.put(model, pnl);
                        series.computeIfAbsent(model, m -> new ArrayList<>());
                        if (previous != null && equity.signum() > 0) {
                            series.get(model).add(pnl.subtract(previous).doubleValue() / equity.doubleValue());
                        }
                    }
                    Map<String, double[]> out = new LinkedHashMap<>();
                    series.forEach((m, list) -> out.put(m, list.stream().mapToDouble(Double::doubleValue).toArray()));
                    return out;
                });
    }

    public Uni<Long> insert(SqlConnection tx, Instant at, AllocationMethod method, BigDecimal equity, BigDecimal volatility, boolean damped,
                            String sharesJson, String inputsJson) {
        return tx.preparedQuery("INSERT INTO allocations (at, method, equity, volatility, damped, shares, inputs) "
                        + "VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb) RETURNING seq")
                .execute(Tuple.from(new Object[] {at.atOffset(ZoneOffset.UTC), method.name(), equity, volatility, damped, sharesJson, inputsJson}))
                .map(rows -> rows.iterator().next().getLong("seq"));
    }

    public Uni<Optional<Stored>> latest() {
        return pool.query("SELECT seq, at, shares::text AS shares FROM allocations ORDER BY seq DESC LIMIT 1").execute()
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(stored(rows.iterator().next())) : Optional.empty());
    }

    private static Stored stored(Row r) {
        return new Stored(r.getLong("seq"), r.getOffsetDateTime("at").toInstant(), r.getString("shares"));
    }

    /** Drops PnL samples older than {@code before}. */
    public Uni<Void> purgeSamples(Instant before) {
        return pool.preparedQuery("DELETE FROM model_pnl WHERE at < $1").execute(Tuple.of(before.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }
}
