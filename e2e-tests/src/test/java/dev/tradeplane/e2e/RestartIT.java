package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orders survive an engine killed with SIGKILL in their correct state: a resting limit order is still resting in the
 * venue's book, a trailing stop keeps its reference price, a bracket's held children stay held; and so does a
 * tripped kill switch.
 */
class RestartIT {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack("tradeplane_test_e2e").start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }

    private static JsonPath post(String path, String body) {
        return engine().header("Idempotency-Key", UUID.randomUUID().toString()).body(body).post(path).then().statusCode(201)
                .extract().jsonPath();
    }

    private static JsonPath order(String id) {
        return engine().get("/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static boolean bookHas(String price, String quantity) {
        List<Map<String, String>> bids = engine().queryParam("levels", 50).get("/market/BTCUSDT.PAPER").then().statusCode(200)
                .extract().jsonPath().getList("bids");
        return bids.stream().anyMatch(l -> new BigDecimal(l.get("price")).compareTo(new BigDecimal(price)) == 0
                && new BigDecimal(l.get("quantity")).compareTo(new BigDecimal(quantity)) >= 0);
    }

    @Test
    void restingOrdersTrailingStopsAndHeldChildrenSurviveAKill() {
        JsonPath market = engine().get("/market/BTCUSDT.PAPER").then().statusCode(200).extract().jsonPath();
        BigDecimal bid = new BigDecimal(market.getString("bid"));
        // Below the synthetic ladder, far enough that the market will not reach it during the test: the level is ours alone.
        String restingPrice = bid.subtract(new BigDecimal("333.33")).toPlainString();
        String resting = post("/orders", """
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.00123","price":"%s","model":"restart"}"""
                .formatted(restingPrice)).getString("id");
        assertTrue(bookHas(restingPrice, "0.00123"), "resting in the book before the kill");

        String trailing = post("/orders", """
                {"symbol":"BTCUSDT.PAPER","side":"SELL","type":"TRAILING_STOP","quantity":"0.001","trailing_offset":"8000","model":"restart"}""")
                .getString("id");
        JsonPath bracket = post("/orders/bracket", """
                {"entry":{"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.002","price":"%s","model":"restart"},
                 "stop_loss":"%s","take_profit":"%s"}""".formatted(bid.subtract(new BigDecimal("900")).toPlainString(),
                bid.subtract(new BigDecimal("2000")).toPlainString(), bid.add(new BigDecimal("2000")).toPlainString()));
        String sl = bracket.getString("orders[1].id");
        BigDecimal triggerBefore = new BigDecimal(order(trailing).getString("trigger_price"));

        stack.restartEngine(true);

        assertEquals("OPEN", order(resting).getString("status"));
        assertTrue(bookHas(restingPrice, "0.00123"), "still resting in the venue's book after the restart");
        JsonPath trail = order(trailing);
        assertEquals("OPEN", trail.getString("status"));
        assertTrue(new BigDecimal(trail.getString("trigger_price")).compareTo(triggerBefore) >= 0,
                "a SELL trailing stop keeps its reference: trigger " + trail.getString("trigger_price") + " vs " + triggerBefore);
        assertEquals("HELD", order(sl).getString("status"));
        assertEquals("OPEN", order(bracket.getString("orders[0].id")).getString("status"));

        engine().delete("/orders/" + resting).then().statusCode(200);
        assertTrue(!bookHas(restingPrice, "0.00123"), "canceled at the venue");
        engine().queryParam("model", "restart").delete("/orders").then().statusCode(200);
        assertEquals("CANCELED", order(sl).getString("status"));
    }

    @Test
    void theKillSwitchIsStillTrippedAfterTheEngineIsKilled() {
        engine().body("{\"reason\":\"restart drill\"}").post("/risk/kill-switch").then().statusCode(200);
        stack.restartEngine(true);
        engine().get("/risk/state").then().statusCode(200)
                .body("kill_switch.active", org.hamcrest.Matchers.equalTo(true))
                .body("kill_switch.reason", org.hamcrest.Matchers.equalTo("restart drill"));
        engine().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.001\"}")
                .post("/orders").then().statusCode(422).body("reason", org.hamcrest.Matchers.equalTo("KILL_SWITCH"));
        engine().delete("/risk/kill-switch").then().statusCode(200);
        engine().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.001\"}")
                .post("/orders").then().statusCode(201);
    }
}
