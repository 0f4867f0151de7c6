package dev.tradeplane.engine.recovery.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.Api;
import dev.tradeplane.engine.support.ScriptedVenue;
import dev.tradeplane.engine.support.ScriptedVenueNoBreakerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation finds what the engine was not told: a fill whose report was lost is applied once, an order the
 * venue dropped is closed, an order working at the venue that the engine never sent is canceled there; each is
 * reported in the answer, in {@code GET /reconciliation/last} and as a metric.
 */
@QuarkusTest
@TestProfile(ScriptedVenueNoBreakerProfile.class)
class ReconciliationTest {

    private static final String SYMBOL = "XYZUSDT.SCRIPT";

    @Inject
    ScriptedVenue venue;

    String model;

    @BeforeEach
    void reset() {
        venue.reset();
        venue.quote("100.00", "100.10");
        model = uniqueModel();
    }

    private JsonPath limit(String price) {
        return authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"%s","model":"%s"}""".formatted(SYMBOL, price, model))
                .post("/orders").then().statusCode(201).extract().jsonPath();
    }

    private List<Map<String, Object>> mismatchesOf(List<Map<String, Object>> reports) {
        return reports.stream().filter(r -> ScriptedVenue.NAME.equals(r.get("venue")))
                .flatMap(r -> ((List<Map<String, Object>>) r.get("mismatches")).stream()).toList();
    }

    /** reconciliation_mismatches_total of the scripted venue, by kind. */
    private static Map<String, Double> counted(List<String> kinds) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String kind : kinds) {
            out.put(kind, Api.metricSum("reconciliation_mismatches_total", "kind=\"" + kind + "\"", "venue=\"SCRIPT\""));
        }
        return out;
    }

    @Test
    void whatTheVenueDidUntoldIsFoundAppliedOnceAndReported() {
        JsonPath missed = limit("99.00");
        JsonPath dropped = limit("98.00");
        venue.fillUnreported(missed.getString("client_order_id"), "1");
        venue.dropUnreported(dropped.getString("client_order_id"));
        String stranger = "stranger-" + UUID.randomUUID();
        venue.addStranger(stranger, "1", "97.00");
        List<String> kinds = List.of("missed_fill", "vanished_order", "orphan_order");
        Map<String, Double> countedBefore = counted(kinds);

        List<Map<String, Object>> found = mismatchesOf(authed().post("/reconciliation/run").then().statusCode(200)
                .extract().jsonPath().getList("$"));
        assertTrue(found.stream().anyMatch(m -> "missed_fill".equals(m.get("kind")) && missed.getString("id").equals(m.get("order_id"))), found.toString());
        assertTrue(found.stream().anyMatch(m -> "vanished_order".equals(m.get("kind")) && dropped.getString("id").equals(m.get("order_id"))), found.toString());
        assertTrue(found.stream().anyMatch(m -> "orphan_order".equals(m.get("kind")) && stranger.equals(m.get("client_order_id"))), found.toString());

        authed().get("/orders/" + missed.getString("id")).then().body("status", equalTo("FILLED")).body("fills.size()", equalTo(1));
        authed().get("/orders/" + dropped.getString("id")).then().body("status", equalTo("CANCELED"));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("1"));
        assertFalse(venue.working(stranger).isPresent(), "the stranger was canceled at the venue");
        assertTrue(venue.log().contains("cancel " + stranger));

        List<Map<String, Object>> last = mismatchesOf(authed().get("/reconciliation/last").then().statusCode(200).extract().jsonPath().getList("$"));
        assertEquals(found, last, "the last report is the one just made");
        Map<String, Double> countedAfter = counted(kinds);
        for (String kind : kinds) {
            assertEquals((double) found.stream().filter(m -> kind.equals(m.get("kind"))).count(), countedAfter.get(kind) - countedBefore.get(kind),
                    "the metric counts each " + kind + " of the run, by kind");
        }

        List<Map<String, Object>> again = mismatchesOf(authed().post("/reconciliation/run").then().statusCode(200)
                .extract().jsonPath().getList("$"));
        assertEquals(List.of(), again, "a second run finds nothing: each difference was settled once");
        authed().get("/orders/" + missed.getString("id")).then().body("fills.size()", equalTo(1));
    }
}
