package dev.tradeplane.engine.order.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.ScriptedVenue;
import dev.tradeplane.engine.support.ScriptedVenueNoBreakerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A submit that fails without an answer may still have reached the venue. The engine never guesses: it asks the venue
 * for the order by client order id, adopts what the venue did, and rejects only an order the venue never got.
 */
@QuarkusTest
@TestProfile(ScriptedVenueNoBreakerProfile.class)
class VenueUnknownOutcomeTest {

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

    private JsonPath placed(String json) {
        return authed().header("Idempotency-Key", key()).body(json).post("/orders").then().statusCode(201).extract().jsonPath();
    }

    private JsonPath order(String id) {
        return authed().get("/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anOrderWhoseVenueAnswerIsLostTakesTheStateTheVenueGaveIt() {
        venue.losingAnswers(true);
        JsonPath market = placed("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"2","model":"%s"}""".formatted(SYMBOL, model));
        JsonPath limit = placed("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"99.00","model":"%s"}""".formatted(SYMBOL, model));
        venue.losingAnswers(false);

        assertEquals("FILLED", market.getString("status"), "the answer already carries the venue's state");
        String filled = market.getString("id");
        assertEquals("FILLED", order(filled).getString("status"));
        assertEquals(1, order(filled).getList("fills").size());
        assertTrue(venue.log().contains("answer lost " + market.getString("client_order_id")));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("2"));

        String resting = limit.getString("id");
        assertEquals("OPEN", limit.getString("status"));
        venue.fill(limit.getString("client_order_id"), "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "FILLED".equals(order(resting).getString("status")));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("3"));
    }

    @Test
    void anOrderTheVenueNeverGotIsRejectedWithAVenueError() {
        venue.failing(true);
        authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"1","model":"%s"}""".formatted(SYMBOL, model))
                .post("/orders").then().statusCode(422).body("reason", equalTo("VENUE_ERROR"));
        authed().queryParam("model", model).get("/positions").then().body("size()", equalTo(0));
    }

    @Test
    void anOrderCanceledWhileItsSubmitIsInDoubtIsCanceledAtTheVenueTooOnceTheVenueCouldHaveTakenItUp() {
        venue.lateActionWindow(Duration.ofSeconds(5));
        venue.delayingSubmits(true);
        JsonPath limit = authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"99.00","model":"%s"}""".formatted(SYMBOL, model))
                .post("/orders").then().extract().jsonPath();
        String id = limit.getString("id");
        String cid = limit.getString("client_order_id");
        assertEquals("NEW", order(id).getString("status"), "not rejected while the venue may still take it up");
        venue.delayingSubmits(false);

        authed().delete("/orders/" + id).then().statusCode(200).body("status", equalTo("CANCELED"));
        takenUpLateAndCanceledThere(cid);
        assertEquals("CANCELED", order(id).getString("status"));
    }

    @Test
    void anOcoLegWhoseSubmitIsInDoubtIsCanceledAtTheVenueTooWhenItsPartnerFills() {
        venue.lateActionWindow(Duration.ofSeconds(8));
        venue.delayingSubmits(true);
        JsonPath oco = authed().header("Idempotency-Key", key()).body("""
                {"legs":[{"symbol":"%1$s","side":"SELL","type":"LIMIT","quantity":"1","price":"101.00","model":"%2$s"},
                         {"symbol":"%1$s","side":"SELL","type":"LIMIT","quantity":"1","price":"102.00","model":"%2$s"}]}"""
                .formatted(SYMBOL, model)).post("/orders/oco").then().statusCode(201).extract().jsonPath();
        venue.delayingSubmits(false);
        String filled = oco.getString("orders[0].client_order_id");
        String other = oco.getString("orders[1].id");
        assertEquals("NEW", order(other).getString("status"));

        // Both submits went unanswered; the venue takes the first leg up late and it fills: the engine cancels the
        // other leg, whose submit the venue may still take up too.
        venue.takeUpLate(filled);
        venue.fill(filled, "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "CANCELED".equals(order(other).getString("status")));
        takenUpLateAndCanceledThere(oco.getString("orders[1].client_order_id"));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("-1"));
    }

    @Test
    void aGtdOrderThatExpiresWhileItsSubmitIsInDoubtIsCanceledAtTheVenueToo() {
        venue.lateActionWindow(Duration.ofSeconds(8));
        venue.delayingSubmits(true);
        JsonPath gtd = authed().header("Idempotency-Key", key()).body("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"99.00","time_in_force":"GTD","expire_at":"%s",
                 "model":"%s"}""".formatted(SYMBOL, Instant.now().plusSeconds(3), model)).post("/orders").then().extract().jsonPath();
        venue.delayingSubmits(false);
        String id = gtd.getString("id");

        await().atMost(Duration.ofSeconds(10)).until(() -> "EXPIRED".equals(order(id).getString("status")));
        takenUpLateAndCanceledThere(gtd.getString("client_order_id"));
    }

    /**
     * After the engine ended the order while its submit was in doubt and sent the venue a first cancel, the venue
     * takes the submit up (within its window): the order is canceled there once the window has passed, not left
     * working until a reconciliation.
     */
    private void takenUpLateAndCanceledThere(String cid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> venue.log().contains("cancel " + cid));
        venue.takeUpLate(cid);
        assertTrue(venue.working(cid).isPresent());
        await().atMost(Duration.ofSeconds(20)).until(() -> venue.working(cid).isEmpty());
    }

    @Test
    void aCancelOfAnOrderAdoptedAfterItsSubmitWentUnansweredReachesTheVenue() {
        venue.losingAnswers(true);
        JsonPath limit = placed("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"1","price":"99.00","model":"%s"}""".formatted(SYMBOL, model));
        venue.losingAnswers(false);
        String cid = limit.getString("client_order_id");
        assertTrue(venue.working(cid).isPresent());

        authed().delete("/orders/" + limit.getString("id")).then().statusCode(200).body("status", equalTo("CANCELED"));
        assertTrue(venue.working(cid).isEmpty(), "canceled at the venue, not only in the engine");
    }
}
