package dev.tradeplane.engine.execution;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.Tables;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.paper.PaperVenue;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ChaseLimit through the engine's normal flow on the paper venue: placing, re-pricing, falling back, its quality. */
@QuarkusTest
class ChaseLimitTest {

    private static final BigDecimal TICK = new BigDecimal("0.01");

    @Inject
    PaperVenue paper;

    @Inject
    ChaseLimit chase;

    @Inject
    Pool pool;

    private TopOfBook top() {
        return paper.topOfBook("BTCUSDT").orElseThrow();
    }

    private static String chased(String side, String quantity, String model, String execution) {
        return """
                {"symbol":"BTCUSDT.PAPER","side":"%s","type":"MARKET","quantity":"%s","model":"%s","execution":%s}"""
                .formatted(side, quantity, model, execution);
    }

    @Test
    void aChasedBuyRestsPostOnlyAtTheBidIsIdempotentAndFollowsTheBidUp() {
        String model = uniqueModel();
        String key = key();
        TopOfBook top = top();
        String body = chased("BUY", "0.002", model, "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"max_chase_bps\":\"50\",\"deadline_seconds\":300}");
        JsonPath order = authed().header("Idempotency-Key", key).body(body).post("/orders").then().statusCode(201).extract().jsonPath();
        assertEquals("LIMIT", order.getString("type"));
        assertEquals(true, order.getBoolean("post_only"));
        assertEquals(0, top.bid().compareTo(new BigDecimal(order.getString("price"))), "at the bid");
        String id = order.getString("id");
        authed().header("Idempotency-Key", key).body(body).post("/orders").then().statusCode(201).header("Idempotent-Replayed", "true")
                .body("id", equalTo(id));
        authed().header("Idempotency-Key", key).body(body.replace("0.002", "0.003")).post("/orders").then().statusCode(422)
                .body("type", equalTo("https://tradeplane.dev/problems/idempotency-key-reused"));

        JsonPath report = authed().get("/orders/" + id + "/execution").then().statusCode(200).extract().jsonPath();
        assertEquals("working", report.getString("state"));
        assertEquals(0, top.mid().compareTo(new BigDecimal(report.getString("arrival_mid"))));
        assertEquals("CHASE_LIMIT", report.getString("execution.algo"));

        // The bid rises by a tick (still below the ask): the order follows it by a cancel/replace.
        assertTrue(top.ask().subtract(top.bid()).compareTo(TICK.multiply(BigDecimal.valueOf(2))) >= 0, "a spread of at least 2 ticks: " + top);
        BigDecimal higher = top.bid().add(TICK);
        chase.onQuote("PAPER", "BTCUSDT", new TopOfBook(higher, top.ask(), Instant.now()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> authed().get("/orders/" + id).then()
                .body("price", equalTo(higher.stripTrailingZeros().toPlainString())));
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/orders/" + id + "/execution").jsonPath().getInt("reprices") == 1);
        authed().delete("/orders/" + id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "canceled".equals(authed().get("/orders/" + id + "/execution").jsonPath().getString("state")));
    }

    @Test
    void atTheDeadlineTheRestGoesOutAsAMarketOrderAndTheQualityIsMeasured() {
        String model = uniqueModel();
        JsonPath order = authed().header("Idempotency-Key", key())
                .body(chased("SELL", "0.003", model, "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":1,\"fallback\":\"MARKET\"}"))
                .post("/orders").then().statusCode(201).extract().jsonPath();
        String id = order.getString("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "fell_back".equals(authed().get("/orders/" + id + "/execution").jsonPath().getString("state")));
        JsonPath report = authed().get("/orders/" + id + "/execution").then().statusCode(200).extract().jsonPath();
        assertEquals("0.003", report.getString("filled_quantity"));
        assertNotNull(report.getString("shortfall_bps"));
        assertEquals("0", report.getString("maker_ratio"), "nothing rested: the market order took it all");
        assertTrue(report.getLong("time_to_fill_ms") >= 1000, "after the deadline");
        String fallback = report.getString("fallback_order_id");
        authed().get("/orders/" + fallback).then().statusCode(200).body("type", equalTo("MARKET")).body("status", equalTo("FILLED"))
                .body("model", equalTo(model));
        authed().get("/orders/" + id).then().body("status", equalTo("CANCELED"));
        assertTrue(new BigDecimal(report.getString("fees")).signum() > 0, "the paper venue's taker fee");
        assertEquals("USDT", report.getString("fee_asset"));

        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(dev.tradeplane.engine.support.Api.metricSum("execution_shortfall_cost_basis_points_count", "algo=\"chase_limit\"")
                + dev.tradeplane.engine.support.Api.metricSum("execution_price_improvement_basis_points_count", "algo=\"chase_limit\"") > 0,
                "the shortfall is counted, as a cost or an improvement");
        for (String series : List.of("executions_total{algo=\"chase_limit\",outcome=\"fell_back\"}",
                "execution_maker_ratio_count{algo=\"chase_limit\"}",
                "execution_fee_basis_points_count{algo=\"chase_limit\"}", "execution_time_to_fill_seconds_count{algo=\"chase_limit\"}")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith(series) && !l.endsWith(" 0.0")), series + " is counted");
        }
    }

    /**
     * A key (or client order id) of 64 characters, the longest the API takes: the chase's own orders get keys and
     * client order ids derived from it that fit too, so the fallback goes out (it used to be refused with a 400 thrown
     * where no failure handler was, and the chase stayed falling_back for good).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"header", "client_order_id"})
    void aSixtyFourCharacterKeyStillFallsBack(String where) {
        String model = uniqueModel();
        String longKey = (key() + "-").repeat(2).substring(0, 64);
        String body = chased("SELL", "0.003", model, "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":1,\"fallback\":\"MARKET\"}");
        io.restassured.specification.RequestSpecification request = authed();
        if (where.equals("header")) {
            request = request.header("Idempotency-Key", longKey);
        } else {
            body = body.replace("{\"symbol\"", "{\"client_order_id\":\"" + longKey + "\",\"symbol\"");
        }
        String id = request.body(body).post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "fell_back".equals(authed().get("/orders/" + id + "/execution").jsonPath().getString("state")));
        JsonPath report = authed().get("/orders/" + id + "/execution").then().statusCode(200).extract().jsonPath();
        assertEquals("0.003", report.getString("filled_quantity"));
        JsonPath fallback = authed().get("/orders/" + report.getString("fallback_order_id")).then().statusCode(200).extract().jsonPath();
        assertEquals("FILLED", fallback.getString("status"));
    }

    @Test
    void aJumpPastTheMaximumChaseFallsBackAtOnceAndCancelLeavesTheRest() {
        TopOfBook top = top();
        JsonPath order = authed().header("Idempotency-Key", key())
                .body(chased("BUY", "0.002", uniqueModel(), "{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"5\",\"fallback\":\"CANCEL\"}"))
                .post("/orders").then().statusCode(201).extract().jsonPath();
        String id = order.getString("id");
        BigDecimal far = top.mid().multiply(new BigDecimal("1.001"));
        chase.onQuote("PAPER", "BTCUSDT", new TopOfBook(far, far.add(BigDecimal.ONE), Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "canceled".equals(authed().get("/orders/" + id + "/execution").jsonPath().getString("state")));
        authed().get("/orders/" + id + "/execution").then().body("fallback_order_id", equalTo(null)).body("filled_quantity", equalTo("0"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tiny max chase       | execution.max_chase_bps  | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT","max_chase_bps":"1e-999999999"}}
            max chase 5 decimals | execution.max_chase_bps  | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT","max_chase_bps":"1.00001"}}
            tiny quantity        | quantity                 | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1e-999999999","execution":{"algo":"CHASE_LIMIT"}}
            huge quantity        | quantity                 | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1e25","execution":{"algo":"CHASE_LIMIT"}}
            off the lot          | quantity                 | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.000015","execution":{"algo":"CHASE_LIMIT"}}
            no side              | side                     | {"symbol":"BTCUSDT.PAPER","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT"}}
            no symbol            | symbol                   | {"side":"BUY","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT"}}
            fractional ticks     | execution.reprice_ticks  | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT","reprice_ticks":2.7}}
            fractional deadline  | execution.deadline_seconds | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","execution":{"algo":"CHASE_LIMIT","deadline_seconds":"2.5"}}
            bad model            | model                    | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","model":"has space","execution":{"algo":"CHASE_LIMIT"}}
            """)
    void badInputIsA400NamingTheFieldAndWritesNothing(String name, String field, String body) {
        Map<String, Long> before = Tables.counts(pool);
        authed().header("Idempotency-Key", key()).body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
        assertEquals(before, Tables.counts(pool), name + " wrote something");
    }

    @Test
    void anIdempotencyKeyTheOmsWouldRefuseIsA400BeforeAnythingIsWritten() {
        Map<String, Long> before = Tables.counts(pool);
        String body = chased("BUY", "0.002", uniqueModel(), "{\"algo\":\"CHASE_LIMIT\"}");
        authed().header("Idempotency-Key", "k".repeat(65)).body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        authed().header("Idempotency-Key", "has space").body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        assertEquals(before, Tables.counts(pool));
    }

    @Test
    void badExecutionsAreRefusedWithTheirField() {
        authed().header("Idempotency-Key", key()).body(chased("BUY", "0.002", uniqueModel(), "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":0}"))
                .post("/orders").then().statusCode(400).body("errors[0].field", equalTo("execution.deadline_seconds"));
        authed().header("Idempotency-Key", key()).body(chased("BUY", "0.002", uniqueModel(), "{\"algo\":\"TWAP\"}"))
                .post("/orders").then().statusCode(400);
        authed().header("Idempotency-Key", key()).body("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","price":"1","quantity":"0.001","execution":{"algo":"CHASE_LIMIT"}}""")
                .post("/orders").then().statusCode(400).body("errors[0].field", equalTo("type"));
        authed().get("/orders/" + java.util.UUID.randomUUID() + "/execution").then().statusCode(404);
    }
}
