package dev.tradeplane.ops.signal;

import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.counts;
import static dev.tradeplane.ops.support.Api.marketSignal;
import static dev.tradeplane.ops.support.Api.metricSum;
import static dev.tradeplane.ops.support.Api.signalId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.support.FakeEngine;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class SignalApiTest {

    @Inject
    Pool pool;

    @AfterEach
    void engineBackToNormal() {
        FakeEngine.mode(FakeEngine.Mode.NORMAL);
    }

    @Test
    void aSignalIsRoutedToAModelAndBecomesAnOrderUnderAKeyDerivedFromIt() {
        String id = signalId();
        Response r = authed().body(marketSignal(id, "0.01")).post("/strategy/signal");
        r.then().statusCode(202).contentType("application/json")
                .body("signal_id", equalTo(id))
                .body("model", is(oneOf("trend-follower", "mean-reversion")))
                .body("order_id", notNullValue())
                .body("order_status", equalTo("FILLED"))
                .body("symbol", equalTo("BTCUSDT.PAPER"));
        List<JsonNode> orders = FakeEngine.ordersFor("ops-" + id);
        assertEquals(1, orders.size());
        JsonNode order = orders.get(0);
        assertEquals("0.01", order.get("quantity").asText());
        assertEquals("MARKET", order.get("type").asText());
        assertEquals(r.jsonPath().getString("model"), order.get("model").asText());
        assertTrue(FakeEngine.KEYS_SEEN.contains("ops-" + id));
    }

    @Test
    void aQuoteAmountAndANamedModelArePassedOn() {
        String id = signalId();
        authed().body("{\"signal_id\":\"" + id + "\",\"symbol\":\"ETHUSDT.PAPER\",\"side\":\"SELL\",\"quote\":\"100\",\"model\":\"mean-reversion\"}")
                .post("/strategy/signal").then().statusCode(202).body("model", equalTo("mean-reversion"));
        JsonNode order = FakeEngine.ordersFor("ops-" + id).get(0);
        assertEquals("100", order.get("quote_quantity").asText());
        assertTrue(order.get("quantity") == null || order.get("quantity").isNull());
    }

    @Test
    void aSignalWithStopLossAndTakeProfitBecomesABracket() {
        String id = signalId();
        authed().body("{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\","
                        + "\"stop_loss\":\"60000\",\"take_profit\":\"70000\"}")
                .post("/strategy/signal").then().statusCode(202)
                .body("child_order_ids", hasSize(2))
                .body("order_status", equalTo("FILLED"));
        JsonNode bracket = FakeEngine.BRACKETS.stream().filter(b -> b.get("entry").get("client_order_id").asText().equals("ops-" + id))
                .findFirst().orElseThrow();
        assertEquals("60000", bracket.get("stop_loss").asText());
        assertEquals("70000", bracket.get("take_profit").asText());
        assertEquals("0.01", bracket.get("entry").get("quantity").asText());
    }

    @Test
    void twentyConcurrentCopiesMakeOneOrderAndTwentyIdenticalAnswers() throws Exception {
        String id = signalId();
        String body = marketSignal(id, "0.002");
        ExecutorService threads = Executors.newFixedThreadPool(20);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> authed().body(body).post("/strategy/signal").then().statusCode(202).extract().asString());
        }
        Set<String> answers = new HashSet<>();
        for (Future<String> f : threads.invokeAll(calls)) {
            answers.add(f.get());
        }
        threads.shutdown();
        assertEquals(1, answers.size(), "20 identical answers");
        assertEquals(1, FakeEngine.ordersFor("ops-" + id).size(), "exactly one order");
        // And later, from the database rather than from the request in flight: the same answer again.
        Response again = authed().body(body).post("/strategy/signal");
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(answers.iterator().next(), again.asString());
    }

    @Test
    void aSignalIdReusedForADifferentSignalIsRefused() {
        String id = signalId();
        authed().body(marketSignal(id, "0.01")).post("/strategy/signal").then().statusCode(202);
        authed().body(marketSignal(id, "0.02")).post("/strategy/signal").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("https://tradeplane.dev/problems/idempotency-key-reused"));
        assertEquals(1, FakeEngine.ordersFor("ops-" + id).size());
    }

    @Test
    void anEngineRejectionIsA422WithTheReasonAndIsKeptForRetries() {
        FakeEngine.mode(FakeEngine.Mode.REJECT);
        String id = signalId();
        double rejectedBefore = metricSum("signals_rejected_total", "reason=\"MAX_ORDER_NOTIONAL\"");
        Response first = authed().body(marketSignal(id, "10")).post("/strategy/signal");
        first.then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/signal-rejected"))
                .body("reason", equalTo("MAX_ORDER_NOTIONAL"))
                .body("limit", equalTo("100000"))
                .body("signal_id", equalTo(id))
                .body("model", notNullValue())
                .body("order_id", notNullValue());
        assertEquals(1.0, metricSum("signals_rejected_total", "reason=\"MAX_ORDER_NOTIONAL\"") - rejectedBefore, "counted by its reason");
        FakeEngine.mode(FakeEngine.Mode.NORMAL);
        Response again = authed().body(marketSignal(id, "10")).post("/strategy/signal");
        again.then().statusCode(422).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), again.asString());
    }

    @Test
    void whenTheEngineIsDownTheSignalGets503AndARetryLaterPlacesItOnce() {
        FakeEngine.mode(FakeEngine.Mode.DOWN);
        String id = signalId();
        authed().body(marketSignal(id, "0.01")).post("/strategy/signal").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("type", equalTo("https://tradeplane.dev/problems/engine-unavailable"));
        assertTrue(FakeEngine.KEYS_SEEN.stream().filter(("ops-" + id)::equals).count() >= 2, "OPS retried before giving up");
        assertEquals(0, FakeEngine.ordersFor("ops-" + id).size());
        FakeEngine.mode(FakeEngine.Mode.NORMAL);
        authed().body(marketSignal(id, "0.01")).post("/strategy/signal").then().statusCode(202);
        authed().body(marketSignal(id, "0.01")).post("/strategy/signal").then().statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(1, FakeEngine.ordersFor("ops-" + id).size());
    }

    @Test
    void afterRepeatedFailuresTheCircuitToTheEngineOpensAndSignalsFailFastThenItRecovers() {
        FakeEngine.mode(FakeEngine.Mode.DOWN);
        for (int i = 0; i < 5; i++) {
            authed().body(marketSignal(signalId(), "0.01")).post("/strategy/signal").then().statusCode(503);
        }
        int callsBefore = FakeEngine.KEYS_SEEN.size();
        String id = signalId();
        authed().body(marketSignal(id, "0.01")).post("/strategy/signal").then().statusCode(503)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("detail", org.hamcrest.Matchers.containsString("circuit"));
        assertEquals(callsBefore, FakeEngine.KEYS_SEEN.size(), "an open circuit does not call the engine");
        assertTrue(RestAssured.get("/q/metrics").asString().contains("engine_circuit_state{venue=\"PAPER\"} 2.0"));
        FakeEngine.mode(FakeEngine.Mode.NORMAL);
        // After the cooldown (tradeplane.engine-client.breaker-cooldown) a trial call goes and closes the circuit.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> authed().body(marketSignal(id, "0.01")).post("/strategy/signal").statusCode() == 202);
        assertEquals(1, FakeEngine.ordersFor("ops-" + id).size());
    }

    @Test
    void pausedAndUnknownModelsAreRefusedAndNothingIsWritten() {
        pool.query("INSERT INTO ops.models (name, status, weight, target_weight) VALUES ('sleepy', 'paused', 1, 1) ON CONFLICT DO NOTHING").execute()
                .await().atMost(Duration.ofSeconds(5));
        Map<String, Long> before = counts(pool);
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"1\",\"model\":\"sleepy\"}")
                .post("/strategy/signal").then().statusCode(422).body("reason", equalTo("MODEL_NOT_ENABLED"));
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"1\",\"model\":\"nobody\"}")
                .post("/strategy/signal").then().statusCode(400).body("errors.field", hasItem("model"));
        assertEquals(before, counts(pool));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON      | {"signal_id":"x1","symbol":                                                            | 400 | malformed-json  |
            unknown field       | {"signal_id":"x2","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","size":"1"}     | 400 | invalid-request | size
            unknown symbol      | {"signal_id":"x3","symbol":"DOGEUSDT.PAPER","side":"BUY","quantity":"1"}               | 400 | invalid-request | symbol
            unknown venue       | {"signal_id":"x4","symbol":"BTCUSDT.NOWHERE","side":"BUY","quantity":"1"}              | 400 | invalid-request | symbol
            no venue            | {"signal_id":"x5","symbol":"BTCUSDT","side":"BUY","quantity":"1"}                      | 400 | invalid-request | symbol
            zero quantity       | {"signal_id":"x6","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"0"}                | 400 | invalid-request | quantity
            negative quantity   | {"signal_id":"x7","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"-0.1"}             | 400 | invalid-request | quantity
            NaN quantity        | {"signal_id":"x8","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"NaN"}              | 400 | invalid-request | quantity
            absurd quantity     | {"signal_id":"x9","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1e40"}             | 400 | invalid-request | quantity
            huge exponent       | {"signal_id":"x10","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":1e999999999}      | 400 | invalid-request | quantity
            both amounts        | {"signal_id":"x11","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","quote":"5"}   | 400 | invalid-request | quantity
            no amount           | {"signal_id":"x12","symbol":"BTCUSDT.PAPER","side":"BUY"}                              | 400 | invalid-request | quantity
            no signal id        | {"symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1"}                                 | 400 | invalid-request | signal_id
            bad signal id       | {"signal_id":"has space","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1"}         | 400 | invalid-request | signal_id
            limit no price      | {"signal_id":"x13","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","type":"LIMIT"} | 400 | invalid-request | price
            bad type            | {"signal_id":"x14","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","type":"ICEBERG"} | 400 | invalid-request | type
            tiny max chase      | {"signal_id":"x15","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","execution":{"algo":"CHASE_LIMIT","max_chase_bps":"1e-999999999"}} | 400 | invalid-request | execution.max_chase_bps
            fine max chase      | {"signal_id":"x16","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","execution":{"algo":"CHASE_LIMIT","max_chase_bps":"0.00001"}} | 400 | invalid-request | execution.max_chase_bps
            fractional ticks    | {"signal_id":"x17","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1","execution":{"algo":"CHASE_LIMIT","reprice_ticks":2.7}} | 400 | invalid-request | execution.reprice_ticks
            tiny chased qty     | {"signal_id":"x18","symbol":"BTCUSDT.PAPER","side":"BUY","quantity":"1e-999999999","execution":{"algo":"CHASE_LIMIT"}} | 400 | invalid-request | quantity
            """)
    void badInputIsRefusedWithAProblemAndNothingWritten(String name, String body, int status, String type, String field) {
        Map<String, Long> before = counts(pool);
        int ordersBefore = FakeEngine.ORDERS.size();
        Response r = authed().body(body).post("/strategy/signal");
        r.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/" + type))
                .body("status", equalTo(status)).body("title", notNullValue()).body("detail", notNullValue());
        if (field != null) {
            r.then().body("errors.field", hasItem(field));
        }
        assertEquals(before, counts(pool), name + " wrote something");
        assertEquals(ordersBefore, FakeEngine.ORDERS.size(), name + " reached the engine");
    }

    @Test
    void anOversizedBodyIs413AndNothingIsWritten() {
        Map<String, Long> before = counts(pool);
        authed().body("{\"signal_id\":\"" + "x".repeat(100_000) + "\"}").post("/strategy/signal").then().statusCode(413)
                .contentType("application/problem+json");
        assertEquals(before, counts(pool));
    }

    @Test
    void theTokenIsRequired() {
        given().contentType("application/json").body(marketSignal(signalId(), "1")).post("/strategy/signal").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("X-OPS-TOKEN", "ops-test-token-012345678X").contentType("application/json").body(marketSignal(signalId(), "1"))
                .post("/strategy/signal").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountSignals() {
        double received = metricSum("signals_received_total");
        double accepted = metricSum("signals_accepted_total");
        double invalid = metricSum("signals_rejected_total", "reason=\"INVALID_REQUEST\"");
        authed().body("{}").post("/strategy/signal").then().statusCode(400);
        String model = authed().body(marketSignal(signalId(), "0.01")).post("/strategy/signal").then().statusCode(202)
                .extract().jsonPath().getString("model");
        double acceptedOfModel = metricSum("signals_accepted_total", "model=\"" + model + "\"");
        assertEquals(2.0, metricSum("signals_received_total") - received, "both signals received");
        assertEquals(1.0, metricSum("signals_accepted_total") - accepted, "one accepted");
        assertTrue(acceptedOfModel >= 1.0, "counted under its model " + model);
        assertEquals(1.0, metricSum("signals_rejected_total", "reason=\"INVALID_REQUEST\"") - invalid, "one refused as invalid");
    }
}
