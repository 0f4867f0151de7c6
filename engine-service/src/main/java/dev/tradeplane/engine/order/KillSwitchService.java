package dev.tradeplane.engine.order;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.risk.RiskMonitor;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.model.RiskState;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import dev.tradeplane.model.Order;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Trips and resets the kill switch. A trip is saved first; then the engine waits for every order already in a lane
 * to finish (so none is accepted after the trip is answered), cancels every working order, and, if asked, closes
 * every position with market orders. New orders are refused until a reset, except orders that only reduce a
 * position when {@code tradeplane.risk.kill-switch.allow-reducing} is on. A breached monitor trips it too. An order
 * whose cancel the venue refused or did not confirm (a rate limit, a timeout) is canceled again every second while the
 * kill switch stays active, until no order is working.
 */
@Singleton
public class KillSwitchService {

    private static final Logger LOG = Logger.getLogger(KillSwitchService.class);
    private static final int MAX_REASON = 500;

    private final TradingGuard guard;
    private final OrderService orders;

    public KillSwitchService(TradingGuard guard, OrderService orders, RiskMonitor monitor) {
        this.guard = guard;
        this.orders = orders;
        monitor.onBreach(reason -> trip("monitor: " + reason, false, "monitor")
                .subscribe().with(ok -> LOG.warnf("Kill switch tripped by a monitor: %s", reason),
                        e -> LOG.errorf(e, "The kill switch could not be tripped for: %s", reason)));
    }

    public Uni<RiskState.KillSwitch> trip(String reason, boolean flatten, String by) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw Problems.invalid("reason", "say why, in 1 to " + MAX_REASON + " characters");
        }
        String tag = Long.toString(System.currentTimeMillis(), 36);
        return guard.trip(reason.strip(), flatten, by)
                .call(orders::drainLanes)
                .call(() -> orders.cancelAll(null, null).invoke(this::cancelLeftovers))
                .call(() -> flatten ? orders.flattenAll(tag) : Uni.createFrom().voidItem())
                .ifNoItem().after(Duration.ofMinutes(2)).fail();
    }

    /** Cancels again, a second later, while the kill switch is active and an order it canceled is still working. */
    private void cancelLeftovers(List<Order> canceled) {
        long working = canceled.stream().filter(o -> !o.status().isFinal()).count();
        if (working == 0 || !guard.killSwitch().active()) {
            return;
        }
        LOG.warnf("Kill switch: %d order(s) still working after their cancel (the venue refused or did not confirm it); canceling again in 1 s",
                working);
        Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(1))
                .flatMap(x -> guard.killSwitch().active() ? orders.cancelAll(null, null) : Uni.createFrom().item(List.<Order>of()))
                .subscribe().with(this::cancelLeftovers, e -> {
                    LOG.warnf("Kill switch: canceling again failed (%s); trying again in 1 s", e.getMessage());
                    cancelLeftovers(canceled);
                });
    }

    public Uni<RiskState.KillSwitch> reset(String by) {
        return guard.reset(by);
    }
}
