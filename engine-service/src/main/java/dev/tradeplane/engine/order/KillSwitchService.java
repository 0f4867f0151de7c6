package dev.tradeplane.engine.order;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.risk.RiskMonitor;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.model.RiskState;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Trips and resets the kill switch. A trip is saved first; then the engine waits for every order already in a lane
 * to finish (so none is accepted after the trip is answered), cancels every working order, and, if asked, closes
 * every position with market orders. New orders are refused until a reset, except orders that only reduce a
 * position when {@code tradeplane.risk.kill-switch.allow-reducing} is on. A breached monitor trips it too.
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
                .call(() -> orders.cancelAll(null, null))
                .call(() -> flatten ? orders.flattenAll(tag) : Uni.createFrom().voidItem())
                .ifNoItem().after(Duration.ofMinutes(2)).fail();
    }

    public Uni<RiskState.KillSwitch> reset(String by) {
        return guard.reset(by);
    }
}
