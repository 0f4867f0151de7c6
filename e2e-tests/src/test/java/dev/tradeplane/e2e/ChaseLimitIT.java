package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A signal worked by ChaseLimit, end to end: OPS passes its execution to the engine, which rests a post-only order;
 * the engine is killed while the chase works, and after its restart the chase is resumed and falls back at its
 * deadline, once: the rest is filled by exactly one market order, attributed to the signal's model. The paper market
 * of this stack stands still (no takers, no moves), so the resting order can neither fill nor be chased before the
 * crash: the test does not depend on the market's luck.
 */
class ChaseLimitIT {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_e2e"), TestInfrastructure.redis(), Map.of())
                .withEngineJvm("-Dtradeplane.paper.instruments.BTCUSDT.trade-rate=0",
                        "-Dtradeplane.paper.instruments.BTCUSDT.volatility-bps=0")
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aChaseSurvivesAnEngineCrashAndFallsBackOnce() throws Exception {
        String signal = "chase-" + UUID.randomUUID();
        JsonPath answer = given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON)
                .body("{\"signal_id\":\"" + signal + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.004\","
                        + "\"execution\":{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":8,\"fallback\":\"MARKET\"}}")
                .post("/strategy/signal").then().statusCode(202).extract().jsonPath();
        String orderId = answer.getString("order_id");
        String model = answer.getString("model");
        engine().get("/orders/" + orderId).then().statusCode(200).body("type", equalTo("LIMIT")).body("post_only", equalTo(true));
        engine().get("/orders/" + orderId + "/execution").then().statusCode(200).body("state", equalTo("working"));

        stack.restartEngine(true);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !java.util.Set.of("working", "falling_back").contains(engine().get("/orders/" + orderId + "/execution").jsonPath().getString("state")));
        JsonPath report = engine().get("/orders/" + orderId + "/execution").then().statusCode(200).extract().jsonPath();
        assertEquals("fell_back", report.getString("state"), "nothing traded in a still market: the deadline ended the chase");
        assertEquals("0.004", report.getString("filled_quantity"), "everything filled, once");
        engine().get("/orders/" + report.getString("fallback_order_id")).then().body("status", equalTo("FILLED")).body("model", equalTo(model));
        // The stack is fresh: the model's orders are this signal's, the chased one and its one fallback.
        int orders = engine().queryParam("model", model).get("/orders").jsonPath().getList("findAll { it.status != 'REJECTED' }").size();
        assertEquals(2, orders, "no order doubled by the crash");
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN);
    }
}
