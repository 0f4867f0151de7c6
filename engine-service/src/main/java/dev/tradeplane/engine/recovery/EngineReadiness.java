package dev.tradeplane.engine.recovery;

import dev.tradeplane.engine.order.OrderService;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the engine's state is restored and reconciled, and while it can trade somewhere: the engine-wide
 * database breaker is not open and at least one venue has no open breaker. Each venue's breakers are listed in the
 * check's data. PostgreSQL and Redis have their own readiness checks beside it.
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    private final OrderService orders;
    private final TradingGuard guard;
    private final Venues venues;

    public EngineReadiness(OrderService orders, TradingGuard guard, Venues venues) {
        this.orders = orders;
        this.guard = guard;
        this.venues = venues;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder check = HealthCheckResponse.named("engine-state").withData("restored", orders.isReady());
        boolean databaseOpen = false;
        for (TradingGuard.Breaker b : guard.breakers()) {
            if (b.state() != TradingGuard.State.CLOSED) {
                check.withData((b.venue() == null ? "engine" : b.venue()) + "." + b.name(), b.state().name());
            }
            if (b.venue() == null && b.state() == TradingGuard.State.OPEN) {
                databaseOpen = true;
            }
        }
        boolean anyVenueUp = false;
        for (Venue v : venues.all()) {
            boolean open = guard.breakers().stream().anyMatch(b -> v.name().equals(b.venue()) && b.state() == TradingGuard.State.OPEN);
            check.withData("venue." + v.name(), open ? "DOWN" : "UP");
            anyVenueUp |= !open;
        }
        return check.status(orders.isReady() && !databaseOpen && anyVenueUp).build();
    }
}
