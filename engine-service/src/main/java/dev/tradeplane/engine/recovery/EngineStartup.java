package dev.tradeplane.engine.recovery;

import dev.tradeplane.engine.order.KillSwitchService;
import dev.tradeplane.engine.order.OrderService;
import dev.tradeplane.engine.risk.RiskLimitsStore;
import dev.tradeplane.engine.risk.RiskMonitor;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Restores the engine's state before it takes orders: risk limits, kill switch and breakers, monitor marks; then each
 * venue starts (the paper venue rebuilds itself from its journal); then balances, positions and working orders; then
 * a reconciliation with every venue. Readiness stays down, and orders are refused, until this is done. Then runs the
 * risk monitors.
 */
@Singleton
public class EngineStartup {

    private static final Logger LOG = Logger.getLogger(EngineStartup.class);

    private final OrderService orders;
    private final RiskMonitor monitor;

    public EngineStartup(OrderService orders, RiskMonitor monitor) {
        this.orders = orders;
        this.monitor = monitor;
    }

    void onStart(@Observes StartupEvent event, RiskLimitsStore limits, TradingGuard guard, KillSwitchService killSwitch, Venues venues,
                 ReconciliationService reconciliation) {
        long started = System.nanoTime();
        orders.listen();
        Uni<Void> chain = limits.load().flatMap(x -> guard.load()).flatMap(x -> monitor.load());
        for (Venue venue : venues.all()) {
            chain = chain.flatMap(x -> venue.start());
        }
        chain.invoke(venues::refresh)
                .flatMap(x -> orders.recover())
                .flatMap(x -> reconciliation.run("startup"))
                .invoke(orders::open)
                .await().atMost(Duration.ofMinutes(2));
        LOG.infof("Engine state restored in %d ms%s", Duration.ofNanos(System.nanoTime() - started).toMillis(),
                guard.killSwitch().active() ? "; the kill switch is ACTIVE: " + guard.killSwitch().reason() : "");
    }

    @Scheduled(every = "${tradeplane.risk.monitor-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void monitor() {
        if (orders.isReady()) {
            monitor.evaluate();
        }
    }
}
