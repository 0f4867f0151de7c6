package dev.tradeplane.engine.execution;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.metricSum;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.ScriptedVenue;
import dev.tradeplane.engine.support.ScriptedVenueProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ChaseLimit against a venue the test drives by hand, for what the paper venue cannot make happen on cue: a partial
 * fill before a re-price, a cancel the venue refuses at the fallback, rails that refuse a re-price and the fallback,
 * and a chase cut off while its first order was being placed.
 */
@QuarkusTest
@TestProfile(ScriptedVenueProfile.class)
class ChaseLimitScenarioTest {

    private static final String SYMBOL = "XYZUSDT.SCRIPT";

    @Inject
    ScriptedVenue venue;

    @Inject
    ChaseLimit chase;

    @Inject
    Pool pool;

    String model;

    @BeforeEach
    void calm() {
        venue.reset();
        venue.quote("100.00", "100.10");
        model = uniqueModel();
    }

    @AfterEach
    void noLimits() {
        venue.reset();
        int version = admin().get("/risk/limits").jsonPath().getInt("version");
        admin().body("{\"global\":{\"max_order_notional\":\"1000000\"},\"version\":" + version + "}").put("/risk/limits").then().statusCode(200);
    }

    /** This profile sets no admin token, so the API token has the admin role. */
    private static io.restassured.specification.RequestSpecification admin() {
        return authed();
    }

    private String chased(String quantity, String execution) {
        return chased("BUY", quantity, execution);
    }

    private String chased(String side, String quantity, String execution) {
        return authed().header("Idempotency-Key", key()).body("""
                        {"symbol":"%s","side":"%s","type":"MARKET","quantity":"%s","model":"%s","execution":%s}"""
                        .formatted(SYMBOL, side, quantity, model, execution))
                .post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
    }

    private static JsonPath order(String id) {
        return authed().get("/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath execution(String id) {
        return authed().get("/orders/" + id + "/execution").then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(15)).until(() -> state.equals(execution(id).getString("state")));
    }

    private List<String> marketSubmits() {
        return venue.log().stream().filter(l -> l.startsWith("submit ") && l.contains(" MARKET ")).toList();
    }

    @Test
    void theReportCountsEveryFillOfAChaseBeyondAThousand() {
        String id = chased("1.001", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":300}");
        String cid = order(id).getString("client_order_id");
        for (int i = 0; i < 1001; i++) {
            venue.fill(cid, "0.001");
        }
        // 1,001 trades to book, one commit each: given time on a slow machine.
        await().atMost(Duration.ofSeconds(90)).until(() -> "done".equals(execution(id).getString("state")));
        JsonPath report = execution(id);
        assertEquals("1.001", report.getString("filled_quantity"), "all 1,001 fills, not the last page of them");
        assertEquals("100", report.getString("average_price"));
        assertNotNull(report.get("time_to_fill_ms"), "filled completely");
    }

    @Test
    void afterAPartialFillOnlyTheRestChases() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300}");
        String cid = order(id).getString("client_order_id");
        assertEquals("100", order(id).getString("price"), "at the bid");
        venue.fill(cid, "0.4");
        await().atMost(Duration.ofSeconds(10)).until(() -> "PARTIALLY_FILLED".equals(order(id).getString("status")));

        venue.quote("100.02", "100.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> "100.02".equals(order(id).getString("price")));
        assertTrue(venue.log().contains("replace " + cid + " 1 @100.02"), "the total stays 1: " + venue.log());
        assertEquals(0, new java.math.BigDecimal("0.6").compareTo(venue.working(cid).orElseThrow().remaining()), "only the rest works");
        JsonPath o = order(id);
        assertEquals("0.4", o.getString("filled_quantity"));
        // The chase writes its re-price count after the OMS answered the replace: a moment after the new price shows.
        await().atMost(Duration.ofSeconds(10)).until(() -> execution(id).getInt("reprices") == 1);

        venue.fill(cid, "0.6");
        awaitState(id, "done");
        JsonPath report = execution(id);
        assertEquals("1", report.getString("filled_quantity"));
        assertEquals("1", report.getString("maker_ratio"));
        assertEquals("USDT", report.getString("fee_asset"));
        assertTrue(marketSubmits().isEmpty(), "nothing went out as a market order");
    }

    @Test
    void theFallbackWaitsForTheCancelToBeDoneAndSendsTheRestOnce() {
        // The venue refuses cancels from the start, so the deadline cannot come before the refusals are in place.
        venue.failingCancels(new ScriptedVenue.Refusal("too many requests"));
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":5,\"fallback\":\"MARKET\"}");
        String cid = order(id).getString("client_order_id");
        venue.fill(cid, "0.3");
        await().atMost(Duration.ofSeconds(10)).until(() -> "0.3".equals(order(id).getString("filled_quantity")));

        awaitState(id, "falling_back");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> marketSubmits().isEmpty());
        JsonPath working = order(id);
        assertTrue(List.of("PARTIALLY_FILLED", "PENDING_CANCEL").contains(working.getString("status")),
                "the venue refused every cancel: the order still works there (between two tries, or during one): " + working.getString("status"));
        assertEquals("0.3", working.getString("filled_quantity"));
        assertTrue(venue.log().stream().filter(("cancel " + cid)::equals).count() >= 2, "the cancel is tried again: " + venue.log());

        venue.failingCancels(null);
        awaitState(id, "fell_back");
        assertEquals(1, marketSubmits().size(), "one market order: " + marketSubmits());
        assertTrue(marketSubmits().get(0).endsWith(" MARKET 0.7"), "for the rest: " + marketSubmits());
        JsonPath report = execution(id);
        assertEquals("1", report.getString("filled_quantity"));
        assertEquals("0.3", report.getString("maker_ratio"));
        assertEquals("CANCELED", order(id).getString("status"));
        authed().get("/orders/" + report.getString("fallback_order_id")).then().body("status", equalTo("FILLED")).body("filled_quantity", equalTo("0.7"));
    }

    @Test
    void aChaseRefusedNotNowBeginsAtTheMarketOfItsRetryNotOfItsFirstTry() {
        // One order for the model in a long while: the chase's first order is refused "not now" (429), nothing written.
        int version = admin().get("/risk/limits").jsonPath().getInt("version");
        admin().body("""
                {"global":{"max_order_notional":"1000000"},"models":{"%s":{"orders_per_second":"0.001","order_burst":"1"}},"version":%d}"""
                .formatted(model, version)).put("/risk/limits").then().statusCode(200);
        authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"90.00","model":"%s"}""".formatted(SYMBOL, model))
                .post("/orders").then().statusCode(201);
        String chaseKey = key();
        String request = """
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"1","model":"%s","execution":{"algo":"CHASE_LIMIT","deadline_seconds":300}}"""
                .formatted(SYMBOL, model);
        authed().header("Idempotency-Key", chaseKey).body(request).post("/orders").then().statusCode(429);

        // The market moves before the client retries, once the rails let it.
        venue.quote("100.50", "100.60");
        version = admin().get("/risk/limits").jsonPath().getInt("version");
        admin().body("{\"global\":{\"max_order_notional\":\"1000000\"},\"version\":" + version + "}").put("/risk/limits").then().statusCode(200);
        String id = authed().header("Idempotency-Key", chaseKey).body(request).post("/orders").then().statusCode(201)
                .extract().jsonPath().getString("id");
        assertEquals("100.5", order(id).getString("price"), "at the bid of now, not of the refused try");
        assertEquals("100.55", execution(id).getString("arrival_mid"));
        assertEquals("working", execution(id).getString("state"));
    }

    @Test
    void aRepriceAndAFallbackTheRailsRefuseLeaveNothingHalfDone() {
        // The model's orders may be worth at most 100.01: the first order (1 at the bid, 100.00) passes; a re-price to
        // 100.03 and the fallback at the ask (100.10) do not. Set before the order, so no deadline can overtake it.
        int version = admin().get("/risk/limits").jsonPath().getInt("version");
        admin().body("""
                {"global":{"max_order_notional":"1000000"},"models":{"%s":{"max_order_notional":"100.01"}},"version":%d}"""
                .formatted(model, version)).put("/risk/limits").then().statusCode(200);
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":8,\"fallback\":\"MARKET\"}");
        assertEquals("100", order(id).getString("price"));

        venue.quote("100.03", "100.10");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(6)).until(() -> "100".equals(order(id).getString("price")));
        assertEquals(0, execution(id).getInt("reprices"), "the rails refused the replace: the order stays where it was");

        awaitState(id, "fallback_refused");
        JsonPath report = execution(id);
        authed().get("/orders/" + report.getString("fallback_order_id")).then().body("status", equalTo("REJECTED"))
                .body("reject_reason", equalTo("MAX_ORDER_NOTIONAL"));
        assertEquals("CANCELED", order(id).getString("status"));
        assertTrue(marketSubmits().isEmpty(), "nothing reached the venue");
    }

    /**
     * The sign of the shortfall: positive is a cost, for either side. Arrival mid 100.05 (100.00 / 100.10). A BUY
     * resting at the bid and filled there got 4.9975 bps better than the mid; a SELL resting at the ask too. A BUY
     * whose market ran away (to 100.20 / 100.30, past 5 bps) bought at the ask 100.30 by its fallback: 24.9875 bps
     * worse; a SELL whose market fell (99.80 / 99.90) sold at the bid 99.80: as much worse.
     */
    @Test
    void shortfallIsPositiveForACostAndNegativeForAnImprovementOnBothSides() {
        double improvements = metricSum("execution_price_improvement_basis_points_count", "algo=\"chase_limit\"");
        double improved = metricSum("execution_price_improvement_basis_points_sum", "algo=\"chase_limit\"");
        double costs = metricSum("execution_shortfall_cost_basis_points_count", "algo=\"chase_limit\"");
        double cost = metricSum("execution_shortfall_cost_basis_points_sum", "algo=\"chase_limit\"");
        String buy = chased("BUY", "1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":300}");
        venue.fill(order(buy).getString("client_order_id"), "1");
        awaitState(buy, "done");
        assertEquals("-4.9975", execution(buy).getString("shortfall_bps"), "a buy filled at the bid, below the mid");

        String sell = chased("SELL", "1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":300}");
        assertEquals("100.1", order(sell).getString("price"), "a sell rests at the ask");
        venue.fill(order(sell).getString("client_order_id"), "1");
        awaitState(sell, "done");
        assertEquals("-4.9975", execution(sell).getString("shortfall_bps"), "a sell filled at the ask, above the mid");

        String buyCost = chased("BUY", "1", "{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"5\",\"deadline_seconds\":300}");
        venue.quote("100.20", "100.30");
        awaitState(buyCost, "fell_back");
        assertEquals("24.9875", execution(buyCost).getString("shortfall_bps"), "a buy that paid the ask above the mid");

        venue.quote("100.00", "100.10");
        String sellCost = chased("SELL", "1", "{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"5\",\"deadline_seconds\":300}");
        venue.quote("99.80", "99.90");
        awaitState(sellCost, "fell_back");
        assertEquals("24.9875", execution(sellCost).getString("shortfall_bps"), "a sell that got the bid below the mid");

        // The metrics keep both: the improvements (which a summary of signed values would drop) and the costs. They
        // are recorded just after the state is written.
        await().atMost(Duration.ofSeconds(10)).until(() -> metricSum("execution_shortfall_cost_basis_points_count", "algo=\"chase_limit\"") >= costs + 2
                && metricSum("execution_price_improvement_basis_points_count", "algo=\"chase_limit\"") >= improvements + 2);
        assertEquals(improvements + 2, metricSum("execution_price_improvement_basis_points_count", "algo=\"chase_limit\""));
        assertEquals(improved + 2 * 4.9975, metricSum("execution_price_improvement_basis_points_sum", "algo=\"chase_limit\""), 1e-6);
        assertEquals(costs + 2, metricSum("execution_shortfall_cost_basis_points_count", "algo=\"chase_limit\""));
        assertEquals(cost + 2 * 24.9875, metricSum("execution_shortfall_cost_basis_points_sum", "algo=\"chase_limit\""), 1e-6);
    }

    /**
     * A SELL chases the ask down, to at most max_chase_bps below the arrival mid: 10 bps below 100.05 is 99.949995,
     * so it follows to 100.00 and 99.95 and, when the ask drops to 99.94, falls back instead of following.
     */
    @Test
    void aSellChaseStopsAtTheMaximumBelowTheArrivalMid() {
        String id = chased("SELL", "1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"max_chase_bps\":\"10\",\"deadline_seconds\":300,"
                + "\"fallback\":\"CANCEL\"}");
        assertEquals("100.1", order(id).getString("price"));
        venue.quote("99.90", "100.00");
        await().atMost(Duration.ofSeconds(10)).until(() -> "100".equals(order(id).getString("price")));
        venue.quote("99.85", "99.95");
        await().atMost(Duration.ofSeconds(10)).until(() -> "99.95".equals(order(id).getString("price")));
        venue.quote("99.84", "99.94");
        awaitState(id, "canceled");
        assertEquals("99.95", order(id).getString("price"), "not chased past 10 bps below the arrival mid");
        assertEquals(2, execution(id).getInt("reprices"));
        assertTrue(venue.log().stream().noneMatch(l -> l.contains("@99.94")), "99.94 never asked for: " + venue.log());
    }

    private static String workingOrder(String id) {
        return execution(id).getString("working_order_id");
    }

    /** Has the venue drop the chase's order at its next re-price, and waits for the rest to be placed anew. */
    private String droppedAndPlacedAnew(String id, String racingFill) {
        venue.replacesDropTheOrder(true, racingFill);
        venue.quote("100.02", "100.10");
        await().atMost(Duration.ofSeconds(15)).until(() -> workingOrder(id) != null && !id.equals(workingOrder(id)));
        venue.replacesDropTheOrder(false, null);
        return workingOrder(id);
    }

    /**
     * Binance re-prices by cancel/replace (STOP_ON_FAILURE): when the post-only replacement is refused because the
     * market moved into it, or a fill racing the replace makes the adapter cancel a replacement grown too large, the
     * order is gone and the answer is UNKNOWN. The chase does not end there: it places what is left anew, post-only at
     * the touch, and chases on; the first order stays its handle, and the report counts the fills of both.
     */
    @Test
    void whenTheVenueDropsTheOrderInARepriceTheRestIsPlacedAnewAndChasedOn() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300}");
        String renewal = droppedAndPlacedAnew(id, "0.4");

        JsonPath first = order(id);
        assertEquals("CANCELED", first.getString("status"));
        assertEquals("0.4", first.getString("filled_quantity"), "the racing fill is booked");
        JsonPath placed = order(renewal);
        assertEquals("LIMIT", placed.getString("type"));
        assertEquals(true, placed.getBoolean("post_only"));
        assertEquals("0.6", placed.getString("quantity"), "for the rest only");
        assertEquals("100.02", placed.getString("price"), "at the touch");
        String cid = placed.getString("client_order_id");
        assertEquals(first.getString("client_order_id") + ":r1", cid);
        assertEquals(1, venue.log().stream().filter(("submit " + cid + " LIMIT 0.6 @100.02")::equals).count(), venue.log().toString());
        JsonPath report = execution(id);
        assertEquals("working", report.getString("state"));
        assertEquals(List.of(renewal), report.getList("renewal_order_ids"));

        venue.quote("100.03", "100.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> "100.03".equals(order(renewal).getString("price")));
        venue.fill(cid, "0.6");
        awaitState(id, "done");
        report = execution(id);
        assertEquals("1", report.getString("filled_quantity"));
        assertEquals("100.018", report.getString("average_price"), "0.4 at 100.00 and 0.6 at 100.03");
        assertEquals("1", report.getString("maker_ratio"));
        assertEquals(null, report.getString("working_order_id"));
        assertTrue(marketSubmits().isEmpty(), "nothing went out as a market order");
    }

    /**
     * A trade of an earlier order of the chase reported after that order ended (a late fill) counts: the next order
     * placed anew is sized from what all the chase's orders filled, not from what the order it replaces had left, so
     * the chase never trades more than its quantity.
     */
    @Test
    void anOrderPlacedAnewIsSizedFromWhatEveryOrderOfTheChaseFilledLateFillsIncluded() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300}");
        String firstClient = order(id).getString("client_order_id");
        String renewal = droppedAndPlacedAnew(id, "0.4");
        assertEquals("0.6", order(renewal).getString("quantity"));
        // The venue reports one more trade of the first order, made before it ended.
        venue.reportLate(firstClient, "0.1", "100.00");
        await().atMost(Duration.ofSeconds(10)).until(() -> "0.5".equals(order(id).getString("filled_quantity")));
        // The venue drops the order placed anew at its next re-price: what is left is 1 - 0.5, not the 0.6 it had.
        venue.replacesDropTheOrder(true, null);
        venue.quote("100.03", "100.10");
        await().atMost(Duration.ofSeconds(15)).until(() -> workingOrder(id) != null && !renewal.equals(workingOrder(id)));
        venue.replacesDropTheOrder(false, null);
        assertEquals("0.5", order(workingOrder(id)).getString("quantity"), "the chase's quantity less all its orders filled");
    }

    /**
     * A cancel the venue refused leaves the order working as it was: it is no end asked for, so a re-price the venue
     * drops later still has the rest placed anew.
     */
    @Test
    void aCancelTheVenueRefusedDoesNotMakeALaterDroppedRepriceTheChasesEnd() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300}");
        venue.failingCancels(new ScriptedVenue.Refusal("too many requests"));
        authed().delete("/orders/" + id).then().statusCode(503);
        venue.failingCancels(null);
        assertNotNull(order(id).getString("cancel_requested_at"), "the request is shown");
        assertEquals("OPEN", order(id).getString("status"), "working as it was");

        String renewal = droppedAndPlacedAnew(id, null);
        assertEquals("working", execution(id).getString("state"));
        assertEquals("1", order(renewal).getString("quantity"), "the whole chase: nothing filled");
    }

    /** A chase working an order placed anew ends when someone cancels that order: a cancel asked for is the end. */
    @Test
    void aCancelOfTheOrderPlacedAnewEndsTheChase() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300,\"fallback\":\"MARKET\"}");
        String renewal = droppedAndPlacedAnew(id, null);
        authed().delete("/orders/" + renewal).then().statusCode(200);
        awaitState(id, "canceled");
        assertTrue(marketSubmits().isEmpty(), "a cancel asked for sends no fallback");
        assertEquals("0", execution(id).getString("filled_quantity"));
    }

    /** Has the venue lose the answer to the chase's next re-price, and waits for the order to be left PENDING_REPLACE. */
    private String repriceUnanswered(String id) {
        String cid = order(id).getString("client_order_id");
        // The venue may act on the lost replace for an hour: it is not settled on its own while the test works.
        venue.lateActionWindow(Duration.ofHours(1));
        venue.losingReplaceAnswers(true);
        venue.quote("100.02", "100.10");
        await().atMost(Duration.ofSeconds(15)).until(() -> venue.log().contains("answer lost " + cid));
        venue.losingReplaceAnswers(false);
        assertEquals("PENDING_REPLACE", order(id).getString("status"));
        return cid;
    }

    private List<String> renewalSubmits(String cid) {
        return venue.log().stream().filter(l -> l.startsWith("submit " + cid + ":r")).toList();
    }

    /**
     * A cancel of an order whose re-price the venue did not answer ends it from PENDING_REPLACE, as a re-price the
     * venue dropped would; the saved request tells the two apart: the chase ends, nothing is placed anew.
     */
    @Test
    void aCancelOfAnOrderWhoseRepriceWasNotAnsweredEndsTheChase() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300,\"fallback\":\"MARKET\"}");
        String cid = repriceUnanswered(id);

        authed().delete("/orders/" + workingOrder(id)).then().statusCode(200).body("status", equalTo("CANCELED"));
        awaitState(id, "canceled");
        assertTrue(venue.working(cid).isEmpty(), "the replacement is canceled at the venue");
        assertTrue(renewalSubmits(cid).isEmpty(), "nothing placed anew: " + venue.log());
        assertTrue(execution(id).getList("renewal_order_ids").isEmpty());
        assertEquals(List.of(id), authed().queryParam("model", model).get("/orders").then().statusCode(200).extract().jsonPath().getList("id"));
        assertTrue(marketSubmits().isEmpty(), "a cancel asked for sends no fallback");
    }

    /**
     * The cancel asked for is saved before the venue is asked: when the venue does not answer it either, and the order
     * is ended by reconciliation later (as after a restart, with nothing of the request left in memory), the chase
     * still ends rather than placing the rest anew.
     */
    @Test
    void aCancelAskedForIsSavedBeforeTheVenueIsAskedSoAnEndReconciliationFindsLaterEndsTheChase() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":300,\"fallback\":\"MARKET\"}");
        String cid = repriceUnanswered(id);
        assertNull(order(id).getString("cancel_requested_at"), "a re-price is no cancel");

        // The cancel's answer is lost (a dropped connection); the venue did cancel the replacement.
        venue.failingCancels(new IllegalStateException("connection reset"));
        authed().delete("/orders/" + id).then().statusCode(503);
        venue.failingCancels(null);
        venue.dropUnreported(cid);
        JsonPath pending = order(id);
        assertEquals("PENDING_REPLACE", pending.getString("status"));
        assertNotNull(pending.getString("cancel_requested_at"), "saved, though the venue never answered");

        authed().post("/reconciliation/run").then().statusCode(200);
        awaitState(id, "canceled");
        assertEquals("CANCELED", order(id).getString("status"));
        assertTrue(renewalSubmits(cid).isEmpty(), "nothing placed anew: " + venue.log());
        assertTrue(marketSubmits().isEmpty(), "a cancel asked for sends no fallback");
    }

    /** At its deadline, a chase working an order placed anew cancels that one and sends its rest as the fallback. */
    @Test
    void atTheDeadlineTheOrderPlacedAnewFallsBack() {
        String id = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"deadline_seconds\":8,\"fallback\":\"MARKET\"}");
        String renewal = droppedAndPlacedAnew(id, "0.25");
        awaitState(id, "fell_back");
        assertEquals("CANCELED", order(renewal).getString("status"));
        assertEquals(1, marketSubmits().size(), marketSubmits().toString());
        assertTrue(marketSubmits().get(0).endsWith(" MARKET 0.75"), marketSubmits().toString());
        JsonPath report = execution(id);
        assertEquals("1", report.getString("filled_quantity"), "the first order's, and the fallback's");
        assertEquals("0.25", report.getString("maker_ratio"));
    }

    /**
     * The decision to place the rest anew is written before the order is placed, and the order goes under a key of
     * its own: after a crash between placing it and writing it into the chase, the resumed chase takes that order (a
     * replay), it does not place a second one.
     */
    @Test
    void anOrderPlacedAnewBeforeACrashIsTakenNotDoubledAfterTheResume() {
        String key = key();
        String id = authed().header("Idempotency-Key", key).body("""
                        {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"100.00","post_only":true,"model":"%s"}"""
                        .formatted(SYMBOL, model))
                .post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        String firstCid = order(id).getString("client_order_id");
        authed().delete("/orders/" + id).then().statusCode(200);
        String cid = ChaseKeys.derive(firstCid, "r1");
        String renewal = authed().header("Idempotency-Key", ChaseKeys.derive(key, "r1")).body("""
                        {"client_order_id":"%s","symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"100.02","time_in_force":"GTC",
                         "post_only":true,"model":"%s"}""".formatted(cid, SYMBOL, model))
                .post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        pool.preparedQuery("INSERT INTO engine.chases (idempotency_key, request_hash, order_id, symbol, venue, side, quantity, first_price, "
                        + "execution, arrival_mid, state, arrived_at, model, current_order_id, renewals, renew_price, renew_quantity) VALUES "
                        + "($1, 'h', $2, 'XYZUSDT', 'SCRIPT', 'BUY', 1, 100.00, "
                        + "'{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"max_chase_bps\":50,\"deadline_seconds\":300,\"fallback\":\"CANCEL\"}', "
                        + "100.05, 'working', $3, $4, NULL, 1, 100.02, 1)")
                .execute(Tuple.of(key, UUID.fromString(id), OffsetDateTime.now(), model)).await().atMost(Duration.ofSeconds(5));

        chase.resume().await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(15)).until(() -> renewal.equals(workingOrder(id)));
        assertEquals(List.of(renewal), execution(id).getList("renewal_order_ids"));
        assertEquals(1, venue.log().stream().filter(l -> l.startsWith("submit " + cid + " ")).count(), "placed once: " + venue.log());
        authed().delete("/orders/" + renewal).then().statusCode(200);
        awaitState(id, "canceled");
    }

    private void markEnded(String orderId, String state) {
        pool.preparedQuery("UPDATE engine.chases SET state = $2, ended_at = now() WHERE order_id = $1")
                .execute(Tuple.of(UUID.fromString(orderId), state)).await().atMost(Duration.ofSeconds(5));
    }

    private static double outcomes(String outcome) {
        return metricSum("executions_total", "algo=\"chase_limit\"", "outcome=\"" + outcome + "\"");
    }

    /**
     * A chase that another path ended already (its row says so, as a racing path would leave it) is not ended again:
     * not counted twice when its order ends, not brought back by a retry of its request, and no fallback when its
     * deadline comes.
     */
    @Test
    void aChaseEndedElsewhereIsNeitherCountedAgainNorFallsBackNorComesBack() {
        String key = key();
        String body = """
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"1","model":"%s","execution":{"algo":"CHASE_LIMIT","deadline_seconds":300}}"""
                .formatted(SYMBOL, model);
        String id = authed().header("Idempotency-Key", key).body(body).post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        markEnded(id, "canceled");
        double canceled = outcomes("canceled");
        authed().delete("/orders/" + id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !chase.works(UUID.fromString(id)));
        assertEquals(canceled, outcomes("canceled"), "the chase was counted when it ended; not a second time");
        authed().header("Idempotency-Key", key).body(body).post("/orders").then().statusCode(201).header("Idempotent-Replayed", "true");
        assertFalse(chase.works(UUID.fromString(id)), "a retry does not bring an ended chase back");

        String other = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":5,\"fallback\":\"MARKET\"}");
        markEnded(other, "canceled");
        double fellBack = outcomes("fell_back");
        await().atMost(Duration.ofSeconds(20)).until(() -> !chase.works(UUID.fromString(other)));
        assertTrue(marketSubmits().isEmpty(), "no fallback for a chase that had ended: " + marketSubmits());
        assertEquals("OPEN", order(other).getString("status"), "nor was its order canceled for one");
        assertEquals(fellBack, outcomes("fell_back"));
        authed().delete("/orders/" + other).then().statusCode(200);
    }

    /**
     * Past its deadline a chase falls back even when the venue has no market (a book not yet in step): with CANCEL it
     * ends at once; with MARKET its order is canceled and the rest waits for a touch, then goes out once.
     */
    @Test
    void pastItsDeadlineAChaseFallsBackWithoutMarketDataAndItsMarketOrderWaitsForATouch() {
        String cancel = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":5,\"fallback\":\"CANCEL\"}");
        String market = chased("1", "{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":5,\"fallback\":\"MARKET\"}");
        venue.noMarket();

        awaitState(cancel, "canceled");
        assertEquals("CANCELED", order(cancel).getString("status"));
        awaitState(market, "falling_back");
        await().atMost(Duration.ofSeconds(15)).until(() -> "CANCELED".equals(order(market).getString("status")));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> marketSubmits().isEmpty());
        assertEquals("falling_back", execution(market).getString("state"), "no market order the rails would refuse for good");

        venue.quote("100.00", "100.10");
        awaitState(market, "fell_back");
        assertEquals(List.of(marketSubmits().get(0)), marketSubmits(), "one market order");
        assertTrue(marketSubmits().get(0).endsWith(" MARKET 1"), marketSubmits().get(0));
    }

    /**
     * A chase whose resume failed (here its stored execution cannot be read) is tried again every round, not left
     * alone until the next restart: once it can be read, it is worked, and its deadline (long past) ends it.
     */
    @Test
    void aChaseWhoseResumeFailedIsTriedAgainLater() {
        String key = key();
        String id = authed().header("Idempotency-Key", key).body("""
                        {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"100.00","post_only":true,"model":"%s"}"""
                        .formatted(SYMBOL, model))
                .post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        pool.preparedQuery("INSERT INTO engine.chases (idempotency_key, request_hash, order_id, symbol, venue, side, quantity, first_price, "
                        + "execution, arrival_mid, state, arrived_at, model) VALUES ($1, 'h', $2, 'XYZUSDT', 'SCRIPT', 'BUY', 1, 100.00, "
                        + "'{\"algo\":\"TWAP\"}', 100.05, 'working', $3, $4)")
                .execute(Tuple.of(key, UUID.fromString(id), OffsetDateTime.now().minusMinutes(5), model)).await().atMost(Duration.ofSeconds(5));

        chase.resume().await().atMost(Duration.ofSeconds(10));
        assertFalse(chase.works(UUID.fromString(id)), "its execution cannot be read");

        pool.preparedQuery("UPDATE engine.chases SET execution = '{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":30,\"fallback\":\"CANCEL\"}' "
                + "WHERE idempotency_key = $1").execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(5));
        awaitState(id, "canceled");
        assertEquals("CANCELED", order(id).getString("status"));
    }

    @Test
    void aChaseCutOffWhilePlacingItsFirstOrderIsWorkedAfterAResume() {
        // What a crash between placing the first order and writing it into the chase leaves: the chase 'placing', the
        // order resting under the chase's key.
        String key = key();
        pool.preparedQuery("INSERT INTO engine.chases (idempotency_key, request_hash, symbol, venue, side, quantity, first_price, execution, "
                        + "arrival_mid, state, arrived_at, model) VALUES ($1, 'h', 'XYZUSDT', 'SCRIPT', 'BUY', 1, 100.00, "
                        + "'{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":0,\"max_chase_bps\":50,\"deadline_seconds\":300,\"fallback\":\"MARKET\"}', "
                        + "100.05, 'placing', $2, $3)")
                .execute(Tuple.of(key, OffsetDateTime.now(), model)).await().atMost(Duration.ofSeconds(5));
        String id = authed().header("Idempotency-Key", key).body("""
                        {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"100.00","post_only":true,"model":"%s"}"""
                        .formatted(SYMBOL, model))
                .post("/orders").then().statusCode(201).extract().jsonPath().getString("id");
        authed().get("/orders/" + id + "/execution").then().statusCode(404);

        chase.resume().await().atMost(Duration.ofSeconds(10));

        assertEquals("working", execution(id).getString("state"));
        venue.quote("100.01", "100.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> "100.01".equals(order(id).getString("price")));
        authed().delete("/orders/" + id).then().statusCode(200);
        awaitState(id, "canceled");
    }
}
