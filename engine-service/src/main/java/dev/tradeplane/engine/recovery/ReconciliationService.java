package dev.tradeplane.engine.recovery;

import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.engine.order.OrderService;
import dev.tradeplane.engine.risk.PositionsView;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Event;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.ReconciliationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reconciles the engine with each venue at start and every {@code tradeplane.reconciliation.interval}: working
 * orders and their fills (per instrument, in its lane), then net positions. Each difference is resolved where it
 * can be, published as a {@code reconciliation.mismatch} event, counted in
 * {@code reconciliation_mismatches_total{venue,kind}}, and kept in the last report ({@code GET /reconciliation/last}).
 */
@Singleton
public class ReconciliationService {

    private static final Logger LOG = Logger.getLogger(ReconciliationService.class);
    /** How long a position or balance difference must last to be reported. */
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(1);

    private final Venues venues;
    private final OrderService orders;
    private final PositionsView positions;
    private final Outbox outbox;
    private final Pool pool;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, ReconciliationReport> last = new LinkedHashMap<>();

    public ReconciliationService(Venues venues, OrderService orders, PositionsView positions, Outbox outbox, Pool pool, Clock clock,
                                 MeterRegistry registry) {
        this.venues = venues;
        this.orders = orders;
        this.positions = positions;
        this.outbox = outbox;
        this.pool = pool;
        this.clock = clock;
        this.registry = registry;
    }

    /** The last report of each venue. */
    public synchronized List<ReconciliationReport> last() {
        return List.copyOf(last.values());
    }

    @Scheduled(every = "${tradeplane.reconciliation.interval:60s}", delayed = "${tradeplane.reconciliation.interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> periodic() {
        return orders.isReady()
                ? run("periodic").replaceWithVoid().onFailure().recoverWithItem(e -> {
                    LOG.warnf("Periodic reconciliation failed; it runs again at the next interval: %s", e.getMessage());
                    return null;
                })
                : Uni.createFrom().voidItem();
    }

    /**
     * Reconciles every venue, one after another; one that cannot finish does not keep the others from it, and fails the
     * run (its problem, the first one's) once the others are done.
     */
    public Uni<List<ReconciliationReport>> run(String trigger) {
        List<Throwable> failures = new ArrayList<>();
        Uni<List<ReconciliationReport>> chain = Uni.createFrom().item(new ArrayList<>());
        for (Venue venue : venues.all()) {
            chain = chain.flatMap(reports -> reconcile(venue, trigger).map(report -> {
                reports.add(report);
                return reports;
            }).onFailure().recoverWithItem(e -> {
                failures.add(e);
                return reports;
            }));
        }
        return chain.flatMap(reports -> failures.isEmpty() ? Uni.createFrom().item(reports) : Uni.createFrom().failure(failures.get(0)));
    }

    /**
     * Reconciles one venue. A venue that cannot answer a question reconciliation needs (down, or not sure yet: its
     * trades lag behind what it executed) fails it as a 503 problem naming the venue, never a 500; what was settled
     * before stays settled, and the next run takes up the rest.
     */
    private Uni<ReconciliationReport> reconcile(Venue venue, String trigger) {
        return reconcileOrFail(venue, trigger).onFailure(e -> !(e instanceof dev.tradeplane.common.problem.ProblemException))
                .transform(e -> dev.tradeplane.common.problem.Problems.unavailable(dev.tradeplane.model.ProblemTypes.SERVICE_UNAVAILABLE,
                        "Reconciliation did not finish", "Reconciling with " + venue.name() + " (" + trigger + ") stopped: " + e.getMessage()
                                + ". What it settled stays settled; run it again later.", 5));
    }

    private Uni<ReconciliationReport> reconcileOrFail(Venue venue, String trigger) {
        Instant started = clock.instant();
        return venue.openOrders().flatMap(open -> {
            Uni<List<OrderService.Reconciled>> chain = Uni.createFrom().item(new ArrayList<>());
            for (InstrumentId id : venues.instrumentIds()) {
                if (!id.venue().equals(venue.name())) {
                    continue;
                }
                chain = chain.flatMap(done -> orders.reconcile(id, open).map(r -> {
                    done.add(r);
                    return done;
                }));
            }
            return chain;
        }).flatMap(perInstrument -> holdings(venue).flatMap(first -> first.isEmpty() ? Uni.createFrom().item(first)
                // A fill on its way from the venue to the engine shows as a difference for a moment: look again.
                : Uni.createFrom().voidItem().onItem().delayIt().by(SETTLE).flatMap(x -> holdings(venue))
                        .map(second -> second.stream().filter(m -> first.stream().anyMatch(f -> f.symbol().equals(m.symbol()))).toList()))
                .map(holdings -> {
                    List<ReconciliationReport.Mismatch> mismatches = new ArrayList<>();
                    int checked = 0;
                    for (OrderService.Reconciled r : perInstrument) {
                        checked += r.ordersChecked();
                        mismatches.addAll(r.mismatches());
                    }
                    mismatches.addAll(holdings);
                    return new ReconciliationReport(venue.name(), trigger, started, clock.instant(), checked, List.copyOf(mismatches));
                })).call(this::publish).invoke(report -> {
            synchronized (this) {
                last.put(venue.name(), report);
            }
            if (!report.mismatches().isEmpty()) {
                LOG.warnf("Reconciliation with %s (%s) found %d difference(s): %s", venue.name(), trigger, report.mismatches().size(),
                        report.mismatches());
            }
        });
    }

    private List<ReconciliationReport.Mismatch> comparePositions(String venue, Map<String, BigDecimal> venuePositions) {
        Map<String, BigDecimal> engine = new LinkedHashMap<>();
        for (PositionsView.Entry e : positions.all()) {
            if (e.instrument().venue().equals(venue)) {
                engine.merge(e.instrument().symbol(), e.position().quantity(), BigDecimal::add);
            }
        }
        Set<String> symbols = new HashSet<>(engine.keySet());
        symbols.addAll(venuePositions.keySet());
        List<ReconciliationReport.Mismatch> out = new ArrayList<>();
        for (String symbol : symbols) {
            BigDecimal ours = engine.getOrDefault(symbol, BigDecimal.ZERO);
            BigDecimal theirs = venuePositions.getOrDefault(symbol, BigDecimal.ZERO);
            if (ours.compareTo(theirs) != 0) {
                out.add(new ReconciliationReport.Mismatch("position", symbol + "." + venue, null, null,
                        "the engine holds " + ours.toPlainString() + ", the venue " + theirs.toPlainString()));
            }
        }
        return out;
    }

    /** Positions and balances that differ between the engine and the venue, when the venue keeps them. */
    private Uni<List<ReconciliationReport.Mismatch>> holdings(Venue venue) {
        return venue.positions().flatMap(venuePositions -> venue.balances().map(venueBalances -> {
            List<ReconciliationReport.Mismatch> out = new ArrayList<>();
            if (!venuePositions.isEmpty()) {
                out.addAll(comparePositions(venue.name(), venuePositions));
            }
            if (!venueBalances.isEmpty()) {
                out.addAll(compareBalances(venue.name(), venueBalances));
            }
            return out;
        }));
    }

    /**
     * Balances per asset, the engine's book against the venue's. Reported, not changed: a balance moved outside the
     * platform (a deposit, a withdrawal) is for a person to look at.
     */
    private List<ReconciliationReport.Mismatch> compareBalances(String venue, Map<String, BigDecimal> venueBalances) {
        Map<String, BigDecimal> engine = orders.balances().of(venue);
        Set<String> assets = new HashSet<>(engine.keySet());
        assets.addAll(venueBalances.keySet());
        List<ReconciliationReport.Mismatch> out = new ArrayList<>();
        for (String asset : assets) {
            BigDecimal ours = engine.getOrDefault(asset, BigDecimal.ZERO);
            BigDecimal theirs = venueBalances.getOrDefault(asset, BigDecimal.ZERO);
            if (ours.compareTo(theirs) != 0) {
                out.add(new ReconciliationReport.Mismatch("balance", asset + "." + venue, null, null,
                        "the engine books " + ours.toPlainString() + " " + asset + ", the venue " + theirs.toPlainString()));
            }
        }
        return out;
    }

    private Uni<Void> publish(ReconciliationReport report) {
        if (report.mismatches().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Event> events = new ArrayList<>();
        for (ReconciliationReport.Mismatch m : report.mismatches()) {
            Counter.builder("reconciliation.mismatches").description("Differences found between the engine and a venue")
                    .tags("venue", report.venue(), "kind", m.kind()).register(registry).increment();
            events.add(outbox.event(EventTypes.RECONCILIATION_MISMATCH, m));
        }
        return pool.withTransaction(tx -> outbox.append(tx, events)).invoke(outbox::committed)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Reconciliation events not saved: %s", e.getMessage());
                    return null;
                });
    }
}
