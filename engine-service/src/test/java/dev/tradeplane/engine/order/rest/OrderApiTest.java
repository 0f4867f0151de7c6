package dev.tradeplane.engine.order.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.marketOrder;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.Api;
import dev.tradeplane.engine.venue.paper.PaperVenue;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrderApiTest {

    @Inject
    PaperVenue paper;

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "tradeplane.events.stream")
    String stream;

    @Test
    void aMarketOrderFillsAndShowsInOrdersFillsPositionsAccountEventsAndMetrics() {
        String model = uniqueModel();
        BigDecimal usdtBefore = new BigDecimal(authed().get("/account").jsonPath().getString("find { it.venue == 'PAPER' }.balances.USDT"));
        double latenciesBefore = Api.metricSum("fill_latency_seconds_count", "venue=\"PAPER\"");

        Response placed = authed().header("Idempotency-Key", key()).body(marketOrder("BUY", "0.01", model)).post("/orders");
        placed.then().statusCode(201).contentType("application/json")
                .header("Location", containsString("/orders/"))
                .body("status", equalTo("FILLED"))
                .body("filled_quantity", equalTo("0.01"))
                .body("symbol", equalTo("BTCUSDT.PAPER"))
                .body("model", equalTo(model))
                .body("average_price", notNullValue());
        String id = placed.jsonPath().getString("id");
        BigDecimal average = new BigDecimal(placed.jsonPath().getString("average_price"));

        authed().get("/orders/" + id).then().statusCode(200).body("status", equalTo("FILLED")).body("id", equalTo(id));
        JsonPath fills = authed().queryParam("order_id", id).get("/fills").then().statusCode(200).extract().jsonPath();
        BigDecimal filled = fills.getList("quantity", String.class).stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("0.01").compareTo(filled));
        assertTrue(fills.getList("liquidity", String.class).stream().allMatch("TAKER"::equals));
        BigDecimal fees = fills.getList("fee", String.class).stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertTrue(fees.signum() > 0, "a taker fee is charged");

        authed().queryParam("model", model).get("/positions").then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].quantity", equalTo("0.01"))
                .body("[0].symbol", equalTo("BTCUSDT.PAPER"))
                .body("[0].mark_price", notNullValue());

        BigDecimal usdtAfter = new BigDecimal(authed().get("/account").jsonPath().getString("find { it.venue == 'PAPER' }.balances.USDT"));
        BigDecimal spent = average.multiply(new BigDecimal("0.01")).add(fees);
        assertEquals(0, usdtBefore.subtract(spent).compareTo(usdtAfter), "cash moved by the fill and its fee");

        await().atMost(Duration.ofSeconds(10)).until(() -> eventTypesFor(id).containsAll(List.of("order.accepted", "order.filled", "order.updated")));

        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("orders_submitted_total{model=\"" + model + "\",venue=\"PAPER\"} 1.0"), "submitted counter");
        assertTrue(metrics.contains("orders_filled_total{model=\"" + model + "\",venue=\"PAPER\"} 1.0"), "filled counter");
        assertTrue(metrics.contains("pnl_realized{model=\"" + model + "\",venue=\"PAPER\"}"), "realized pnl gauge");
        // The market stands still in tests: the gauge reads the equity GET /account reports now.
        BigDecimal equity = new BigDecimal(authed().get("/account").jsonPath().getString("find { it.venue == 'PAPER' }.equity_usd"));
        assertEquals(equity.doubleValue(), Api.metricSum("equity_usd", "venue=\"PAPER\""), 0.01, "equity gauge");
        assertEquals(fills.getList("id").size(), Api.metricSum("fill_latency_seconds_count", "venue=\"PAPER\"") - latenciesBefore, 1e-9,
                "one fill latency recorded per fill of the order");
    }

    @Test
    void aLimitOrderRestsUntilTheMarketTradesThroughItThenFillsAsMaker() {
        String model = uniqueModel();
        BigDecimal bid = new BigDecimal(paper.topOfBook("BTCUSDT").orElseThrow().bid().toPlainString());
        BigDecimal limit = bid.subtract(new BigDecimal("3.00")).setScale(2, RoundingMode.DOWN);
        String body = """
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"0.002","price":"%s","model":"%s"}
                """.formatted(limit.toPlainString(), model);
        String id = authed().header("Idempotency-Key", key()).body(body).post("/orders").then().statusCode(201)
                .body("status", equalTo("OPEN")).body("time_in_force", equalTo("GTC")).extract().jsonPath().getString("id");
        authed().queryParam("status", "OPEN").queryParam("model", model).get("/orders").then().body("$", hasSize(1));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            paper.advance().await().atMost(Duration.ofSeconds(5));
            return "FILLED".equals(authed().get("/orders/" + id).jsonPath().getString("status"));
        });
        authed().queryParam("order_id", id).get("/fills").then().statusCode(200)
                .body("price", org.hamcrest.Matchers.everyItem(equalTo(limit.toPlainString())))
                .body("liquidity", org.hamcrest.Matchers.everyItem(equalTo("MAKER")));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("0.002"));
    }

    @Test
    void aQuoteQuantityBuysWhatTheQuoteAffordsAtTheAskRoundedDownToTheLot() {
        String model = uniqueModel();
        BigDecimal ask = paper.topOfBook("BTCUSDT").orElseThrow().ask();
        BigDecimal expected = new BigDecimal("100").divide(ask, 5, RoundingMode.DOWN);
        authed().header("Idempotency-Key", key())
                .body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quote_quantity\":\"100\",\"model\":\"" + model + "\"}")
                .post("/orders").then().statusCode(201)
                .body("quantity", equalTo(expected.stripTrailingZeros().toPlainString()));
    }

    @Test
    void theSameKeyReplaysTheFirstAnswerAndADifferentRequestUnderItIsRefused() {
        String model = uniqueModel();
        String key = key();
        Response first = authed().header("Idempotency-Key", key).body(marketOrder("BUY", "0.001", model)).post("/orders");
        first.then().statusCode(201);
        Response second = authed().header("Idempotency-Key", key).body(marketOrder("BUY", "0.0010", model)).post("/orders");
        second.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), second.asString());

        authed().header("Idempotency-Key", key).body(marketOrder("BUY", "0.002", model)).post("/orders").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/idempotency-key-reused"));
        authed().queryParam("model", model).get("/orders").then().body("$", hasSize(1));
    }

    @Test
    void twentyConcurrentCopiesMakeOneOrderAndTwentyIdenticalAnswers() throws Exception {
        String model = uniqueModel();
        String key = key();
        String body = marketOrder("SELL", "0.001", model);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> authed().header("Idempotency-Key", key).body(body).post("/orders").then().statusCode(201).extract().asString());
        }
        Set<String> answers = new HashSet<>();
        for (Future<String> f : pool.invokeAll(calls)) {
            answers.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, answers.size(), "every copy got the same answer");
        authed().queryParam("model", model).get("/orders").then().body("$", hasSize(1));
        authed().queryParam("model", model).get("/positions").then().body("[0].quantity", equalTo("-0.001"));
    }

    @Test
    void aRiskRejectIsA422WithReasonLimitAndValueAndIsKeptWithItsKey() {
        String model = uniqueModel();
        String key = key();
        Response rejected = authed().header("Idempotency-Key", key).body(marketOrder("BUY", "10", model)).post("/orders");
        rejected.then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/order-rejected"))
                .body("reason", equalTo("MAX_ORDER_NOTIONAL"))
                .body("limit", equalTo("100000"))
                .body("value", notNullValue())
                .body("order_id", notNullValue());
        authed().get("/orders/" + rejected.jsonPath().getString("order_id")).then()
                .body("status", equalTo("REJECTED")).body("reject_reason", equalTo("MAX_ORDER_NOTIONAL"));
        Response again = authed().header("Idempotency-Key", key).body(marketOrder("BUY", "10", model)).post("/orders");
        again.then().statusCode(422).header("Idempotent-Replayed", "true");
        assertEquals(rejected.asString(), again.asString());
        String metrics = RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.contains("risk_rejects_total{model=\"" + model + "\",reason=\"MAX_ORDER_NOTIONAL\",venue=\"PAPER\"} 1.0"), metrics);
    }

    private List<String> eventTypesFor(String orderId) {
        List<String> types = new ArrayList<>();
        for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange(stream, io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"))) {
            if (m.payload().get("event").contains(orderId)) {
                types.add(m.payload().get("type"));
            }
        }
        return types;
    }
}
