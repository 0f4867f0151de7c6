package dev.tradeplane.engine.risk.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.engine.support.ScriptedVenue;
import dev.tradeplane.engine.support.StaleDataProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Market data older than the threshold opens the venue's breaker; fresh data closes it again on its own. */
@QuarkusTest
@TestProfile(StaleDataProfile.class)
class StaleMarketDataTest {

    @Inject
    ScriptedVenue venue;

    private String state() {
        List<String> states = authed().get("/risk/state").jsonPath()
                .getList("breakers.findAll { it.name == 'market_data' && it.venue == 'SCRIPT' }.state");
        return states.isEmpty() ? "CLOSED" : states.get(0);
    }

    private io.restassured.response.Response order() {
        return authed().header("Idempotency-Key", key())
                .body("{\"symbol\":\"XYZUSDT.SCRIPT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\",\"price\":\"90.00\"}")
                .post("/orders");
    }

    @Test
    void staleDataStopsOrdersUntilTheMarketSpeaksAgain() {
        venue.quote("100.00", "100.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> state().equals("OPEN"));
        order().then().statusCode(503).body("reason", equalTo("CIRCUIT_BREAKER"));
        // The market speaks again and keeps speaking, as a live one does: the data stays fresher than the 1 s threshold
        // from the quote to the order, however slow the machine, so the breaker is closed and the order goes.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            venue.quote("100.01", "100.11");
            assertEquals("CLOSED", state());
            venue.quote("100.01", "100.11");
            order().then().statusCode(201);
        });
    }
}
