package dev.tradeplane.engine.metrics;

import dev.tradeplane.model.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The engine's trading metrics (names as Prometheus shows them):
 * {@code orders_submitted_total{venue,model}}, {@code orders_filled_total{venue,model}},
 * {@code orders_rejected_total{venue,model,reason}}, {@code risk_rejects_total{reason,venue,model}},
 * {@code fills_total{venue,model}}, {@code fill_latency_seconds{venue}} (histogram),
 * {@code pnl_realized{venue,model}} (gauge, net of fees, may go down), {@code equity_usd{venue}} (gauge),
 * {@code engine_lane_depth{instrument}} (gauge: tasks queued or running in the instrument's lane; a depth that only
 * grows means the lane is stuck behind a venue or the database).
 */
@Singleton
public class TradingMetrics {

    private static final double[] LATENCY_BUCKETS_SECONDS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60, 300};

    private final MeterRegistry registry;
    /** Realized PnL by "venue|model|symbol". */
    private final Map<String, BigDecimal> realized = new ConcurrentHashMap<>();
    private final Map<String, Boolean> pnlGauges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> equityGauges = new ConcurrentHashMap<>();

    public TradingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the depth gauge of one instrument's lane; {@code depth} is read at every scrape. */
    public void laneDepth(String instrument, java.util.function.IntSupplier depth) {
        Gauge.builder("engine.lane.depth", depth, d -> d.getAsInt()).description("Tasks queued or running in an instrument's lane")
                .tags("instrument", instrument).strongReference(true).register(registry);
    }

    public void submitted(String venue, String model) {
        Counter.builder("orders.submitted").description("Orders sent to a venue").tags("venue", venue, "model", model)
                .register(registry).increment();
    }

    public void filled(String venue, String model) {
        Counter.builder("orders.filled").description("Orders completely filled").tags("venue", venue, "model", model)
                .register(registry).increment();
    }

    public void rejected(String venue, String model, RejectReason reason) {
        Counter.builder("orders.rejected").description("Orders refused by risk rails or the venue")
                .tags("venue", venue, "model", model, "reason", reason.name()).register(registry).increment();
        if (reason.subsystem() == RejectReason.Subsystem.RISK || reason.subsystem() == RejectReason.Subsystem.VENUE) {
            Counter.builder("risk.rejects").description("Orders refused by a pre-trade check, by reason")
                    .tags("reason", reason.name(), "venue", venue, "model", model).register(registry).increment();
        }
    }

    /** A difference found with a venue ({@code reconciliation_mismatches_total{venue,kind}}). */
    public void mismatch(String venue, String kind) {
        Counter.builder("reconciliation.mismatches").description("Differences found between the engine and a venue")
                .tags("venue", venue, "kind", kind).register(registry).increment();
    }

    public void fill(String venue, String model, long latencyMs) {
        Counter.builder("fills").description("Fills received from venues").tags("venue", venue, "model", model)
                .register(registry).increment();
        DistributionSummary.builder("fill.latency").baseUnit("seconds").description("Seconds from an order's arrival to each of its fills")
                .tags("venue", venue).serviceLevelObjectives(LATENCY_BUCKETS_SECONDS).register(registry).record(latencyMs / 1000.0);
    }

    /** Records a model's realized PnL in one instrument; the gauge shows the sum over instruments. */
    public void realizedPnl(String venue, String model, String symbol, BigDecimal value) {
        realized.put(venue + "|" + model + "|" + symbol, value);
        String key = venue + "|" + model;
        if (pnlGauges.putIfAbsent(key, Boolean.TRUE) == null) {
            String prefix = key + "|";
            Gauge.builder("pnl.realized", realized, map -> map.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(prefix)).mapToDouble(e -> e.getValue().doubleValue()).sum())
                    .description("Realized PnL net of fees, in the quote currency").tags(Tags.of("venue", venue, "model", model))
                    .strongReference(true).register(registry);
        }
    }

    /** Registers the equity gauge of a venue once; {@code equity} is read at every scrape. */
    public void equity(String venue, Supplier<BigDecimal> equity) {
        if (equityGauges.putIfAbsent(venue, Boolean.TRUE) == null) {
            Gauge.builder("equity.usd", equity, s -> s.get().doubleValue()).description("Account equity in US dollars, marked at mid")
                    .tags("venue", venue).strongReference(true).register(registry);
        }
    }
}
