package dev.tradeplane.engine.risk.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.Api;
import dev.tradeplane.engine.support.RiskProfile;
import dev.tradeplane.engine.support.ScriptedVenue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Risk limits, the kill switch, the breakers and the monitors through the HTTP API. */
@QuarkusTest
@TestProfile(RiskProfile.class)
class RiskApiTest {

    private static final String XYZ = "XYZUSDT.SCRIPT";
    private static final String NO_LIMITS = "{\"global\":{\"max_order_notional\":\"1000000\"}}";

    @Inject
    ScriptedVenue venue;

    @Inject
    Pool pool;

    @Inject
    java.time.Clock clock;

    private static RequestSpecification admin() {
        return given().header("X-OPS-TOKEN", RiskProfile.ADMIN).contentType(ContentType.JSON);
    }

    /**
     * Each test starts from the same state whichever ran before it: no kill switch, a calm venue, its breakers closed,
     * no order left working (open orders count against the position limits) and the baseline limits.
     */
    @BeforeEach
    void calm() {
        admin().delete("/risk/kill-switch").then().statusCode(200);
        venue.reset();
        venue.quote("100.00", "100.10");
        breakersClosed();
        authed().queryParam("symbol", XYZ).delete("/orders").then().statusCode(200);
        int version = admin().get("/risk/limits").jsonPath().getInt("version");
        admin().body("{\"global\":{\"max_order_notional\":\"1000000\"},\"version\":" + version + "}").put("/risk/limits").then().statusCode(200);
    }

    @AfterEach
    void resetEverything() {
        admin().delete("/risk/kill-switch").then().statusCode(200);
        venue.reset();
    }

    /** Waits out a breaker of the scripted venue that an earlier test left open, and closes it with a probe order. */
    private void breakersClosed() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<String> states = authed().get("/risk/state").jsonPath().getList("breakers.findAll { it.venue == 'SCRIPT' }.state");
            if (states.stream().allMatch("CLOSED"::equals)) {
                return true;
            }
            if (!states.contains("OPEN")) {
                Response probe = limit(uniqueModel(), "BUY", "1", "90.00");
                if (probe.statusCode() == 201) {
                    authed().delete("/orders/" + probe.jsonPath().getString("id")).then().statusCode(200);
                }
            }
            return false;
        });
    }

    private String putLimits(String json) {
        return admin().body(json).put("/risk/limits").then().statusCode(200).extract().asString();
    }

    private Response market(String model, String side, String quantity) {
        return authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"%s","type":"MARKET","quantity":"%s","model":"%s"}""".formatted(XYZ, side, quantity, model))
                .post("/orders");
    }

    private Response limit(String model, String side, String quantity, String price) {
        return authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"%s","type":"LIMIT","quantity":"%s","price":"%s","model":"%s"}""".formatted(XYZ, side, quantity, price, model))
                .post("/orders");
    }

    @Test
    void limitsAreReadByAnyoneChangedByAdminsOnlyAuditedAndApplyAtOnce() {
        authed().get("/risk/limits").then().statusCode(200).body("global.max_order_notional", equalTo("1000000"));
        authed().body(NO_LIMITS).put("/risk/limits").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/forbidden"));
        JsonPath set = new JsonPath(putLimits("""
                {"global":{"max_order_notional":"1000000"},"symbols":{"xyzusdt.script":{"max_order_quantity":"5"}}}"""));
        long version = set.getLong("version");
        assertEquals("5", set.getString("symbols.'XYZUSDT.SCRIPT'.max_order_quantity"));
        String model = uniqueModel();
        market(model, "BUY", "5").then().statusCode(201);
        market(model, "BUY", "5.001").then().statusCode(422).body("reason", equalTo("MAX_ORDER_QUANTITY"))
                .body("limit", equalTo("5")).body("value", equalTo("5.001"));
        admin().body("{\"global\":{},\"version\":" + (version - 1) + "}").put("/risk/limits").then().statusCode(409)
                .body("type", equalTo("https://tradeplane.dev/problems/version-conflict"));
        long audits = pool.query("SELECT count(*) AS n FROM engine.risk_audit WHERE action = 'limits.replace'").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertTrue(audits >= 1, "the change is audited");
    }

    @Test
    void badLimitsAreRefusedWithEveryFieldNamed() {
        admin().body("""
                {"global":{"max_order_notional":"-1","max_drawdown_pct":"150","order_burst":0},
                 "venues":{"NOWHERE":{}},"symbols":{"DOGE.SCRIPT":{}},"models":{"bad name":{}}}""")
                .put("/risk/limits").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("global.max_order_notional"))
                .body("errors.field", hasItem("global.max_drawdown_pct"))
                .body("errors.field", hasItem("global.order_burst"))
                .body("errors.field", hasItem("venues.NOWHERE"))
                .body("errors.field", hasItem("symbols.DOGE.SCRIPT"))
                .body("errors.field", hasItem("models.bad name"));
        admin().body("{\"global\":{\"max_order_notional\":\"1\",\"unknown\":1}}").put("/risk/limits").then().statusCode(400);
    }

    @Test
    void twoHundredConcurrentOrdersNeverFillMoreThanThePositionLimit() throws Exception {
        putLimits("{\"global\":{\"max_order_notional\":\"1000000\"},\"symbols\":{\"XYZUSDT.SCRIPT\":{\"max_position_quantity\":\"50\"}}}");
        String model = uniqueModel();
        BigDecimal before = netXyz();
        BigDecimal room = new BigDecimal("50").subtract(before.max(BigDecimal.ZERO));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(() -> market(model, "BUY", "1").then().extract().statusCode());
        }
        int filled = 0;
        int refused = 0;
        for (Future<Integer> f : pool.invokeAll(calls)) {
            if (f.get() == 201) {
                filled++;
            } else if (f.get() == 422) {
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(200, filled + refused);
        assertEquals(room.intValue(), filled, "exactly the room under the limit was filled");
        assertEquals(0, new BigDecimal("50").compareTo(netXyz().max(before)), "the position ends at the limit");
        market(model, "SELL", String.valueOf(filled)).then().statusCode(201);
    }

    private BigDecimal netXyz() {
        return authed().queryParam("symbol", XYZ).get("/positions").jsonPath().getList("quantity", String.class).stream()
                .map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void theKillSwitchTrippedDuringABurstLetsNothingInAfterwardsAndCancelsEveryWorkingOrder() throws Exception {
        String model = uniqueModel();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            burst.add(pool.submit(() -> limit(model, "BUY", "1", "90.00").then().extract().statusCode()));
        }
        Thread.sleep(50);
        authed().body("{\"reason\":\"drill\"}").post("/risk/kill-switch").then().statusCode(403);
        JsonPath tripped = admin().body("{\"reason\":\"drill during a burst\"}").post("/risk/kill-switch").then().statusCode(200)
                .body("kill_switch.active", equalTo(true)).body("kill_switch.reason", equalTo("drill during a burst"))
                .extract().jsonPath();
        assertTrue(tripped.getBoolean("kill_switch.active"));
        // Acknowledged: nothing new gets in, and nothing is left working.
        limit(model, "BUY", "1", "90.00").then().statusCode(422).body("reason", equalTo("KILL_SWITCH"));
        for (Future<Integer> f : burst) {
            int status = f.get();
            assertTrue(status == 201 || status == 422, "each order was placed or refused: " + status);
        }
        pool.shutdown();
        List<String> working = authed().queryParam("model", model).queryParam("status", "OPEN").get("/orders").jsonPath().getList("id");
        assertEquals(List.of(), working, "every order of the burst ended canceled or refused");
        int accepted = (int) burst.stream().filter(f -> {
            try {
                return f.get() == 201;
            } catch (Exception e) {
                return false;
            }
        }).count();
        List<String> canceled = authed().queryParam("model", model).queryParam("status", "CANCELED").queryParam("limit", 1000)
                .get("/orders").jsonPath().getList("id");
        assertEquals(accepted, canceled.size(), "every accepted order is canceled");
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("kill_switch_active 1.0"));
        admin().delete("/risk/kill-switch").then().statusCode(200).body("kill_switch.active", equalTo(false));
        String after = limit(model, "BUY", "1", "90.00").then().statusCode(201).extract().jsonPath().getString("id");
        authed().delete("/orders/" + after).then().statusCode(200);
    }

    @Test
    void anOrderWhoseCancelTheVenueRefusesIsCanceledAgainWhileTheKillSwitchIsActive() {
        String model = uniqueModel();
        JsonPath placed = limit(model, "BUY", "1", "90.00").then().statusCode(201).extract().jsonPath();
        String id = placed.getString("id");
        String cancel = "cancel " + placed.getString("client_order_id");
        venue.failingCancels(new ScriptedVenue.Refusal("too many requests"));
        admin().body("{\"reason\":\"drill with a refusing venue\"}").post("/risk/kill-switch").then().statusCode(200);
        assertTrue(venue.log().contains(cancel), "the trip sent the cancel: " + venue.log());
        // Still working: OPEN, or PENDING_CANCEL while the kill switch's next attempt (every second) is on its way.
        String status = authed().get("/orders/" + id).jsonPath().getString("status");
        assertTrue(List.of("OPEN", "PENDING_CANCEL").contains(status), "the venue refused the cancel, the order works: " + status);

        venue.failingCancels(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELED".equals(authed().get("/orders/" + id).jsonPath().getString("status")));
        assertTrue(venue.log().stream().filter(cancel::equals).count() >= 2, "canceled by a later attempt than the refused one: " + venue.log());
    }

    @Test
    void whileTrippedOnlyReducingOrdersPassAndFlattenClosesPositions() {
        String model = uniqueModel();
        market(model, "BUY", "3").then().statusCode(201);
        admin().body("{\"reason\":\"reduce only\"}").post("/risk/kill-switch").then().statusCode(200);
        market(model, "BUY", "1").then().statusCode(422).body("reason", equalTo("KILL_SWITCH"));
        market(model, "SELL", "1").then().statusCode(201).body("status", equalTo("FILLED"));
        market(model, "SELL", "5").then().statusCode(422).body("reason", equalTo("KILL_SWITCH"));
        admin().delete("/risk/kill-switch").then().statusCode(200);
        admin().body("{\"reason\":\"flatten all\",\"flatten\":true}").post("/risk/kill-switch").then().statusCode(200)
                .body("kill_switch.flatten", equalTo(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> new BigDecimal(authed().queryParam("model", model).get("/positions")
                .jsonPath().getString("[0].quantity")).signum() == 0);
    }

    @Test
    void venueErrorsOpenTheBreakerWhichRecoversThroughAHalfOpenProbe() {
        String model = uniqueModel();
        venue.failing(true);
        // The monitor may open the breaker after any of the failures; until it does, each order is refused by the venue.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response r = market(model, "BUY", "1");
            assertTrue(r.statusCode() == 422 && "VENUE_ERROR".equals(r.jsonPath().getString("reason"))
                    || r.statusCode() == 503 && "CIRCUIT_BREAKER".equals(r.jsonPath().getString("reason")), r.asString());
            return breaker("venue_errors").equals("OPEN");
        });
        market(model, "BUY", "1").then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("reason", equalTo("CIRCUIT_BREAKER"));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("circuit_breaker_state{breaker=\"venue_errors\",venue=\"SCRIPT\"} 2.0"));
        venue.failing(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> breaker("venue_errors").equals("HALF_OPEN"));
        market(model, "BUY", "1").then().statusCode(201);
        assertEquals("CLOSED", breaker("venue_errors"));
        market(model, "SELL", "1").then().statusCode(201);
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("circuit_breaker_state{breaker=\"venue_errors\",venue=\"SCRIPT\"} 0.0"));
    }

    @Test
    void aTradeReportedForAnOrderTheEngineRejectedFailsClosedUntilAnAdminClosesTheBreaker() {
        String model = uniqueModel();
        // Refused by the rails (2,000,000 of notional, 1,000,000 allowed), so never sent; no venue error either, which
        // would count towards the venue_errors breaker of the tests after this one.
        Response refused = market(model, "BUY", "20000");
        refused.then().statusCode(422).body("reason", equalTo("MAX_ORDER_NOTIONAL"));
        String id = refused.jsonPath().getString("order_id");
        String cid = authed().get("/orders/" + id).jsonPath().getString("client_order_id");
        double unbooked = Api.metricSum("reconciliation_mismatches_total", "kind=\"unbooked_fill\"", "venue=\"SCRIPT\"");

        // The venue says it traded the order after all: the engine cannot book that to a rejected order on a guess.
        venue.reportLate(cid, "1", "100.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker("reconciliation").equals("OPEN"));
        assertTrue(Api.metricSum("reconciliation_mismatches_total", "kind=\"unbooked_fill\"", "venue=\"SCRIPT\"") > unbooked);
        authed().get("/orders/" + id).then().body("status", equalTo("REJECTED")).body("filled_quantity", equalTo("0"));
        market(model, "BUY", "1").then().statusCode(503).body("reason", equalTo("CIRCUIT_BREAKER"))
                .body("detail", org.hamcrest.Matchers.containsString("reconciliation"));

        authed().delete("/risk/breakers/reconciliation?venue=SCRIPT").then().statusCode(403);
        admin().delete("/risk/breakers/nothing?venue=SCRIPT").then().statusCode(404);
        admin().delete("/risk/breakers/reconciliation?venue=SCRIPT").then().statusCode(200);
        assertEquals("CLOSED", breaker("reconciliation"));
        market(model, "BUY", "1").then().statusCode(201);
    }

    private String breaker(String name) {
        List<String> states = authed().get("/risk/state").jsonPath().getList("breakers.findAll { it.name == '" + name
                + "' && it.venue == 'SCRIPT' }.state");
        return states.isEmpty() ? "CLOSED" : states.get(0);
    }

    @Test
    void aModelsDailyLossTripsTheKillSwitch() {
        // The engine's day cannot turn during the test (daily PnL starts afresh at 00:00 UTC): its clock reads midday.
        org.junit.jupiter.api.Assertions.assertInstanceOf(dev.tradeplane.engine.support.MiddayClock.class, clock);
        String model = uniqueModel();
        putLimits("{\"global\":{\"max_order_notional\":\"1000000\"},\"models\":{\"" + model + "\":{\"max_daily_loss\":\"50\"}}}");
        market(model, "BUY", "1").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/risk/state").jsonPath()
                .getList("monitors.scope").contains("model:" + model));
        venue.quote("40.00", "40.10");
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/risk/state").jsonPath().getBoolean("kill_switch.active"));
        String reason = authed().get("/risk/state").jsonPath().getString("kill_switch.reason");
        assertTrue(reason.contains("model:" + model) && reason.startsWith("monitor"), reason);
        market(uniqueModel(), "BUY", "1").then().statusCode(422).body("reason", equalTo("KILL_SWITCH"));
        venue.quote("100.00", "100.10");
        market(model, "SELL", "1").then().statusCode(201);
        putLimits(NO_LIMITS.replace("}}", "},\"version\":" + authed().get("/risk/limits").jsonPath().getInt("version") + "}"));
    }
}
