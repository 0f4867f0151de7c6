package dev.tradeplane.engine.order.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.paper.PaperVenue;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time in force, post-only, GTD and queue priority on the paper venue, through the HTTP API. */
@QuarkusTest
class PaperOrderTypesTest {

    @Inject
    PaperVenue paper;

    private TopOfBook top() {
        return paper.topOfBook("BTCUSDT").orElseThrow();
    }

    private JsonPath post(String json, int status) {
        return authed().header("Idempotency-Key", key()).body(json).post("/orders").then().statusCode(status).extract().jsonPath();
    }

    private JsonPath order(String id) {
        return authed().get("/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void postOnlyIsRejectedWhenItWouldTakeAndRestsOtherwise() {
        String model = uniqueModel();
        post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.001","price":"%s","post_only":true,"model":"%s"}"""
                .formatted(top().ask().toPlainString(), model), 422);
        JsonPath resting = post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.001","price":"%s","post_only":true,"model":"%s"}"""
                .formatted(top().bid().subtract(BigDecimal.ONE).toPlainString(), model), 201);
        assertEquals("OPEN", resting.getString("status"));
        assertEquals(true, resting.getBoolean("post_only"));
        authed().delete("/orders/" + resting.getString("id")).then().statusCode(200);
    }

    @Test
    void iocTakesWhatThereIsAndFokAllOrNothing() {
        String model = uniqueModel();
        BigDecimal ask = top().ask();
        JsonPath ioc = post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"1.5","price":"%s","time_in_force":"IOC","model":"%s"}"""
                .formatted(ask.toPlainString(), model), 201);
        assertEquals("CANCELED", ioc.getString("status"));
        BigDecimal filled = new BigDecimal(ioc.getString("filled_quantity"));
        assertTrue(filled.signum() > 0 && filled.compareTo(new BigDecimal("1.5")) < 0, "took only what was at the ask: " + filled);
        JsonPath fok = post("""
                {"symbol":"BTCUSDT.PAPER","side":"SELL","type":"LIMIT","quantity":"1.5","price":"%s","time_in_force":"FOK","model":"%s"}"""
                .formatted(top().bid().toPlainString(), model), 201);
        assertEquals("EXPIRED", fok.getString("status"));
        assertEquals("0", fok.getString("filled_quantity"));
    }

    @Test
    void aGtdOrderExpiresAtItsTime() {
        String model = uniqueModel();
        // Far enough ahead that a slow POST on a loaded machine still places it in the future (else a 400).
        Instant expireAt = Instant.now().plusSeconds(6);
        JsonPath gtd = post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.001","price":"%s","time_in_force":"GTD","expire_at":"%s","model":"%s"}"""
                .formatted(top().bid().subtract(new BigDecimal("50")).toPlainString(), expireAt, model), 201);
        String id = gtd.getString("id");
        assertEquals("OPEN", gtd.getString("status"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "EXPIRED".equals(order(id).getString("status")));
        assertTrue(Instant.parse(order(id).getString("updated_at")).compareTo(expireAt) >= 0);
        post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.001","price":"1","time_in_force":"GTD","expire_at":"2020-01-01T00:00:00Z"}""", 400);
    }

    @Test
    void aSmallerSizeKeepsTheQueuePlaceAndAPriceChangeLosesIt() {
        String model = uniqueModel();
        BigDecimal bid = top().bid();
        String id = post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.01","price":"%s","model":"%s"}"""
                .formatted(bid.toPlainString(), model), 201).getString("id");
        String cid = order(id).getString("client_order_id");
        String behind = post("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.004","price":"%s","model":"%s"}"""
                .formatted(bid.toPlainString(), model), 201).getString("id");
        long ahead = paper.queueAhead("BTCUSDT", cid).await().atMost(Duration.ofSeconds(5));
        assertTrue(ahead > 0, "market orders were at the bid first");
        authed().body("{\"quantity\":\"0.005\"}").patch("/orders/" + id).then().statusCode(200).body("quantity", equalTo("0.005"));
        assertEquals(ahead, paper.queueAhead("BTCUSDT", cid).await().atMost(Duration.ofSeconds(5)));
        authed().body("{\"quantity\":\"0.02\"}").patch("/orders/" + id).then().statusCode(200).body("status", equalTo("OPEN"));
        assertEquals(ahead + 400, paper.queueAhead("BTCUSDT", cid).await().atMost(Duration.ofSeconds(5)),
                "a bigger size goes to the back, behind the order that came after it");
        authed().delete("/orders/" + behind).then().statusCode(200);
        authed().delete("/orders/" + id).then().statusCode(200).body("status", equalTo("CANCELED"));
        assertEquals(-1L, paper.queueAhead("BTCUSDT", cid).await().atMost(Duration.ofSeconds(5)));
        authed().body("{\"quantity\":\"0.03\"}").patch("/orders/" + id).then().statusCode(409).body("order.status", equalTo("CANCELED"));
    }

    @Test
    void aBracketOnThePaperVenueOpensAPositionAndClosesItThroughItsStopOrItsTarget() {
        String model = uniqueModel();
        TopOfBook t = top();
        JsonPath bracket = authed().header("Idempotency-Key", key()).body("""
                {"entry":{"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.002","model":"%s"},
                 "stop_loss":"%s","take_profit":"%s"}""".formatted(model, t.bid().subtract(new BigDecimal("15")).toPlainString(),
                t.ask().add(new BigDecimal("15")).toPlainString()))
                .post("/orders/bracket").then().statusCode(201).extract().jsonPath();
        assertEquals("FILLED", bracket.getString("orders[0].status"));
        String sl = bracket.getString("orders[1].id");
        String tp = bracket.getString("orders[2].id");
        assertEquals("OPEN", order(sl).getString("status"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(order(tp).getString("status")));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            paper.advance().await().atMost(Duration.ofSeconds(5));
            return !order(sl).getString("status").equals("OPEN") && !order(tp).getString("status").equals("OPEN");
        });
        List<String> outcome = List.of(order(sl).getString("status"), order(tp).getString("status"));
        assertTrue(outcome.equals(List.of("FILLED", "CANCELED")) || outcome.equals(List.of("CANCELED", "FILLED")), outcome.toString());
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(authed().queryParam("model", model).get("/positions").jsonPath()
                .getString("[0].quantity"))), "flat again");
    }

    @Test
    void positionsEqualTheSumOfSignedFills() {
        String model = uniqueModel();
        for (String side : List.of("BUY", "BUY", "SELL", "BUY", "SELL", "SELL", "SELL")) {
            post("""
                    {"symbol":"ETHUSDT.PAPER","side":"%s","type":"MARKET","quantity":"0.13","model":"%s"}""".formatted(side, model), 201);
        }
        JsonPath fills = authed().queryParam("model", model).queryParam("limit", 1000).get("/fills").then().extract().jsonPath();
        BigDecimal net = BigDecimal.ZERO;
        for (int i = 0; i < fills.getList("id").size(); i++) {
            BigDecimal q = new BigDecimal(fills.getString("[" + i + "].quantity"));
            net = net.add("BUY".equals(fills.getString("[" + i + "].side")) ? q : q.negate());
        }
        assertEquals(0, new BigDecimal("-0.13").compareTo(net));
        assertEquals(0, net.compareTo(new BigDecimal(authed().queryParam("model", model).get("/positions").jsonPath().getString("[0].quantity"))));
    }
}
