package dev.tradeplane.ops.dash;

import dev.tradeplane.model.Allocations;
import dev.tradeplane.model.CanaryDecision;
import dev.tradeplane.model.Dashboard;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.Position;
import dev.tradeplane.ops.allocation.AllocationService;
import dev.tradeplane.ops.canary.CanaryManager;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.pnl.PnlRepository;
import dev.tradeplane.ops.pnl.PnlSummary;
import dev.tradeplane.ops.routing.Model;
import dev.tradeplane.ops.routing.ModelRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The numbers of the PnL dashboard ({@code GET /dash/pnl}, the page at {@code /dash/}) and of the daily CSV: put
 * together from what OPS already keeps (positions from the engines' events, the registry, the allocation, the
 * canary statistics) and, for open orders only, from the engines themselves.
 */
@Singleton
public class DashboardService {

    static final Duration CURVE = Duration.ofHours(24);
    static final String CSV_HEADER = "date,model,venue,realized_pnl,realized_pnl_total,fees,fills,volume";

    private final PnlRepository pnl;
    private final ModelRepository models;
    private final AllocationService allocations;
    private final CanaryManager canary;
    private final EngineClient engines;
    private final Pool pool;
    private final Clock clock;

    public DashboardService(PnlRepository pnl, ModelRepository models, AllocationService allocations, CanaryManager canary,
                            EngineClient engines, Pool pool, Clock clock) {
        this.pnl = pnl;
        this.models = models;
        this.allocations = allocations;
        this.canary = canary;
        this.engines = engines;
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Dashboard> dashboard() {
        Instant now = clock.instant();
        return Uni.combine().all().unis(pnl.positions(), models.all(), allocations.view().onFailure().recoverWithNull(),
                        canary.performance().onFailure().recoverWithItem(Map.of()), curve(now.minus(CURVE)), openOrders())
                .asTuple()
                .map(t -> build(now, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(), t.getItem5(), t.getItem6()));
    }

    private static Dashboard build(Instant now, List<Position> positions, List<Model> registry, Allocations allocation,
                                   Map<String, CanaryDecision.Stats> stats, List<Dashboard.Point> curve, OpenOrders open) {
        PnlSummary pnl = PnlSummary.of(positions);
        Map<String, BigDecimal[]> byModel = new TreeMap<>();
        Map<String, BigDecimal[]> byVenue = new TreeMap<>();
        for (PnlSummary.Line l : pnl.lines()) {
            add(byModel.computeIfAbsent(l.model(), k -> zeros()), l);
            add(byVenue.computeIfAbsent(l.venue(), k -> zeros()), l);
        }
        Map<String, Allocations.Budget> budgets = new TreeMap<>();
        if (allocation != null) {
            allocation.models().forEach(b -> budgets.put(b.model(), b));
        }
        List<Dashboard.ModelLine> lines = new ArrayList<>();
        for (Model m : registry) {
            BigDecimal[] v = byModel.getOrDefault(m.name(), zeros());
            Allocations.Budget b = budgets.get(m.name());
            CanaryDecision.Stats s = stats.get(m.name());
            lines.add(new Dashboard.ModelLine(m.name(), m.status().dbValue(), m.weight(), b == null ? null : b.share(), b == null ? null : b.budget(),
                    b == null ? null : b.used(), plain(v[0]), plain(v[1]), plain(v[2]), s == null ? null : s.trades(), s == null ? null : s.sharpe(),
                    s == null ? null : s.maxDrawdownPct(), s == null ? null : s.winRate()));
        }
        List<Dashboard.VenueLine> venues = new ArrayList<>();
        byVenue.forEach((venue, v) -> venues.add(new Dashboard.VenueLine(venue, plain(v[0]), plain(v[1]), plain(v[2]))));
        BigDecimal equity = allocation == null ? null : allocation.equity();
        return new Dashboard(now, equity, plain(pnl.realizedPnl()), plain(pnl.unrealizedPnl()), plain(pnl.fees()), lines, venues, curve, positions,
                open.orders(), open.unreachable());
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }

    private static void add(BigDecimal[] v, PnlSummary.Line l) {
        v[0] = v[0].add(l.realizedPnl());
        v[1] = v[1].add(l.unrealizedPnl());
        v[2] = v[2].add(l.fees());
    }

    private static BigDecimal plain(BigDecimal v) {
        return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }

    /** The equity at each allocation round since {@code from}, at most 720 points (thinned evenly). */
    private Uni<List<Dashboard.Point>> curve(Instant from) {
        return pool.preparedQuery("SELECT at, equity FROM allocations WHERE at >= $1 ORDER BY at").execute(Tuple.of(from.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Dashboard.Point> all = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        all.add(new Dashboard.Point(r.getOffsetDateTime("at").toInstant(), r.getBigDecimal("equity").stripTrailingZeros()));
                    }
                    if (all.size() <= 720) {
                        return all;
                    }
                    List<Dashboard.Point> thin = new ArrayList<>(720);
                    for (int i = 0; i < 720; i++) {
                        thin.add(all.get((int) ((long) i * (all.size() - 1) / 719)));
                    }
                    return thin;
                });
    }

    private record OpenOrders(List<Order> orders, List<String> unreachable) {}

    /** The working orders of every engine; an engine that does not answer is named, not waited for. */
    private Uni<OpenOrders> openOrders() {
        List<Order> orders = new CopyOnWriteArrayList<>();
        List<String> unreachable = new CopyOnWriteArrayList<>();
        List<Uni<Void>> asks = new ArrayList<>();
        for (String venue : engines.venues()) {
            for (OrderStatus status : List.of(OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED)) {
                asks.add(engines.orders(venue, status).invoke(orders::addAll).replaceWithVoid()
                        .onFailure().invoke(e -> {
                            if (!unreachable.contains(venue)) {
                                unreachable.add(venue);
                            }
                        })
                        .onFailure().recoverWithNull());
            }
        }
        Uni<Void> all = asks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(asks).andFailFast().replaceWithVoid();
        return all.map(x -> new OpenOrders(orders.stream().sorted(Comparator.comparing(Order::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList(), List.copyOf(unreachable)));
    }

    /**
     * The PnL of one UTC day as CSV, one line per model and venue that has a position: realized PnL during the day
     * and in total at its end, and the day's fees, fills and traded volume (quote currency), from the events OPS
     * stored.
     */
    public Uni<String> csv(LocalDate date) {
        Instant from = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        String realizedAt = "SELECT model, venue, coalesce(sum(realized), 0) AS realized FROM ("
                + " SELECT DISTINCT ON (event->'payload'->>'model', event->'payload'->>'venue', event->'payload'->>'symbol')"
                + " event->'payload'->>'model' AS model, event->'payload'->>'venue' AS venue, (event->'payload'->>'realized_pnl')::numeric AS realized"
                + " FROM events WHERE type = 'position.changed' AND occurred_at < $1"
                + " ORDER BY event->'payload'->>'model', event->'payload'->>'venue', event->'payload'->>'symbol', occurred_at DESC, seq DESC"
                + ") last GROUP BY model, venue";
        String fills = "SELECT event->'payload'->>'model' AS model, event->'payload'->>'venue' AS venue, count(*) AS fills,"
                + " coalesce(sum((event->'payload'->>'fee')::numeric), 0) AS fees,"
                + " coalesce(sum((event->'payload'->>'quantity')::numeric * (event->'payload'->>'price')::numeric), 0) AS volume"
                + " FROM events WHERE type = 'order.filled' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1, 2";
        Uni<Map<String, BigDecimal>> end = byModelVenue(realizedAt, Tuple.of(to.atOffset(ZoneOffset.UTC)), "realized");
        Uni<Map<String, BigDecimal>> start = byModelVenue(realizedAt, Tuple.of(from.atOffset(ZoneOffset.UTC)), "realized");
        Uni<Map<String, BigDecimal[]>> day = pool.preparedQuery(fills).execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, BigDecimal[]> out = new TreeMap<>();
                    for (Row r : rows) {
                        out.put(r.getString("model") + "," + r.getString("venue"), new BigDecimal[] {r.getBigDecimal("fees"),
                                BigDecimal.valueOf(r.getLong("fills")), r.getBigDecimal("volume")});
                    }
                    return out;
                });
        return Uni.combine().all().unis(end, start, day).asTuple().map(t -> {
            java.util.TreeSet<String> keys = new java.util.TreeSet<>(t.getItem1().keySet());
            keys.addAll(t.getItem3().keySet());
            StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
            for (String key : keys) {
                BigDecimal total = t.getItem1().getOrDefault(key, BigDecimal.ZERO);
                BigDecimal during = total.subtract(t.getItem2().getOrDefault(key, BigDecimal.ZERO));
                BigDecimal[] d = t.getItem3().getOrDefault(key, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                out.append(date).append(',').append(key).append(',').append(plain(during).toPlainString()).append(',')
                        .append(plain(total).toPlainString()).append(',').append(plain(d[0]).toPlainString()).append(',')
                        .append(d[1].toPlainString()).append(',').append(plain(d[2]).toPlainString()).append('\n');
            }
            return out.toString();
        });
    }

    private Uni<Map<String, BigDecimal>> byModelVenue(String sql, Tuple args, String column) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            Map<String, BigDecimal> out = new TreeMap<>();
            for (Row r : rows) {
                out.put(r.getString("model") + "," + r.getString("venue"), r.getBigDecimal(column));
            }
            return out;
        });
    }
}
