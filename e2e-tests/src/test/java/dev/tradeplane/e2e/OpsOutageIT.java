package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 4: OPS is killed and stays down for 30 s while the engine keeps trading (resting orders placed through
 * OPS before, orders sent to the engine directly during the outage). Once OPS is back it catches up from the event
 * stream, and its PnL, model by model, equals the engine's.
 */
class OpsOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final List<String> MODELS = List.of("mean-reversion", "trend-follower");
    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_faults"), TestInfrastructure.redis(), FaultEnv.FAST).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void afterThirtySecondsDownOpsPnlEqualsTheEngines() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        restingOrdersThroughOps(run);
        stack.stopOps(true);

        Instant until = Instant.now().plus(OUTAGE);
        int sent = 0;
        while (Instant.now().isBefore(until)) {
            String model = MODELS.get(sent % 2);
            String side = (sent / 2) % 2 == 0 ? "BUY" : "SELL";
            given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).header("Idempotency-Key", "outage-" + run + "-" + sent)
                    .contentType(ContentType.JSON)
                    .body("{\"symbol\":\"ETHUSDT.PAPER\",\"side\":\"" + side + "\",\"type\":\"MARKET\",\"quantity\":\"0.05\",\"model\":\"" + model + "\"}")
                    .post("/orders").then().statusCode(201);
            sent++;
            Thread.sleep(250);
        }
        // What still rests could fill on the moving market between reading the engine and reading OPS below.
        for (String model : MODELS) {
            given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).queryParam("symbol", "BTCUSDT.PAPER").queryParam("model", model)
                    .delete("/orders").then().statusCode(200);
        }
        Map<String, BigDecimal> engineAtRestart = enginePnl();
        stack.startOps();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> opsPnl().equals(enginePnl()));
        Map<String, BigDecimal> engine = enginePnl();
        Map<String, BigDecimal> ops = opsPnl();
        assertEquals(engine, ops, "OPS' realized PnL by model is the engine's");
        for (String model : MODELS) {
            assertTrue(engineAtRestart.containsKey(model) && engineAtRestart.get(model).signum() != 0,
                    "the engine realized PnL for " + model + " while OPS was down: " + engineAtRestart);
        }
        Ledger ledger = new Ledger(stack);
        assertEquals(ledger.engineFillIds(), ledger.opsFillIds(), "OPS has every fill");
        assertEquals(ledger.opsEventIds().size(), ledger.opsEventRows(), "each event stored once");

        Figures.record("ops-outage", "faults=1 (SIGKILL of OPS, down " + OUTAGE.toSeconds() + " s), orders during the outage=" + sent
                + ", fills=" + ledger.engineFillIds().size() + ", fill events at OPS=" + ledger.opsFillIds().size()
                + ", realized PnL engine=" + engine + ", OPS=" + ops + ", lost=" + (ledger.engineFillIds().size() - ledger.opsFillIds().size())
                + ", doubled=" + (ledger.opsEventRows() - ledger.opsEventIds().size()));
    }

    /** Limit orders at the touch, through OPS, that the market may fill while OPS is down. */
    private static void restingOrdersThroughOps(String run) {
        JsonPath market = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).get("/market/BTCUSDT.PAPER")
                .then().statusCode(200).extract().jsonPath();
        String bid = market.getString("bid");
        String ask = market.getString("ask");
        for (int i = 0; i < 4; i++) {
            String side = i % 2 == 0 ? "BUY" : "SELL";
            given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON)
                    .body("{\"signal_id\":\"outage-" + run + "-rest-" + i + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"" + side
                            + "\",\"type\":\"LIMIT\",\"price\":\"" + (side.equals("BUY") ? bid : ask) + "\",\"quantity\":\"0.01\",\"model\":\""
                            + MODELS.get(i / 2) + "\"}")
                    .post("/strategy/signal").then().statusCode(202);
        }
    }

    /** Realized PnL by model, summed over the engine's positions ({@code GET /positions}). */
    private static Map<String, BigDecimal> enginePnl() {
        List<Map<String, Object>> positions = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).get("/positions")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, BigDecimal> out = new HashMap<>();
        for (Map<String, Object> p : positions) {
            out.merge((String) p.get("model"), new BigDecimal(p.get("realized_pnl").toString()), BigDecimal::add);
        }
        out.replaceAll((k, v) -> v.stripTrailingZeros());
        return out;
    }

    /** Realized PnL by model, summed over the lines of OPS' {@code GET /pnl}. */
    private static Map<String, BigDecimal> opsPnl() {
        List<Map<String, Object>> lines = given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).get("/pnl")
                .then().statusCode(200).extract().jsonPath().getList("lines");
        Map<String, BigDecimal> out = new HashMap<>();
        for (Map<String, Object> l : lines) {
            out.merge((String) l.get("model"), new BigDecimal(l.get("realized_pnl").toString()), BigDecimal::add);
        }
        out.replaceAll((k, v) -> v.stripTrailingZeros());
        return out;
    }
}
