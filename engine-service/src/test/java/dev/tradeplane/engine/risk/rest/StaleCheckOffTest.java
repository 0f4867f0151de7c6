package dev.tradeplane.engine.risk.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static org.awaitility.Awaitility.await;

import dev.tradeplane.engine.risk.TradingGuard;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With the stale-data check off ({@code stale-after=0s}, as in the test configuration), a {@code market_data} breaker
 * left open from before (saved, restored at start) is closed by the next monitor round instead of refusing every
 * order for good.
 */
@QuarkusTest
class StaleCheckOffTest {

    @Inject
    TradingGuard guard;

    private static String state() {
        List<String> states = authed().get("/risk/state").jsonPath()
                .getList("breakers.findAll { it.name == 'market_data' && it.venue == 'PAPER' }.state");
        return states.isEmpty() ? "CLOSED" : states.get(0);
    }

    @Test
    void aMarketDataBreakerOpenedBeforeTheCheckWasTurnedOffIsClosed() {
        guard.move("market_data", "PAPER", TradingGuard.State.OPEN, "no market data for 30 s (before a restart)");
        await().atMost(Duration.ofSeconds(20)).until(() -> state().equals("CLOSED"));
    }
}
