package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.fakebinance.FakeBinance;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The normal flow on a real-exchange adapter, through both packaged services: a signal to OPS becomes an order the
 * engine places at Binance (a local fake of it: nothing leaves the machine), the fill arrives by push on the
 * user-data stream, and reconciliation with the account finds nothing to settle.
 */
class BinanceSignalIT {

    private static FakeBinance fake;
    private static Stack stack;
    /** A live market: a level away from the touch changes every 300 ms, as a real book never stands still. */
    private static final ScheduledExecutorService MARKET = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void start() {
        fake = FakeBinance.start();
        for (int i = 0; i < 5; i++) {
            fake.setLevel("BTCUSDT", true, new BigDecimal("64999.00").subtract(BigDecimal.valueOf(i)), new BigDecimal("0.5"));
            fake.setLevel("BTCUSDT", false, new BigDecimal("65001.00").add(BigDecimal.valueOf(i)), new BigDecimal("0.5"));
        }
        AtomicInteger n = new AtomicInteger();
        MARKET.scheduleAtFixedRate(() -> fake.setLevel("BTCUSDT", false, new BigDecimal("65100.00"), BigDecimal.valueOf(1 + n.incrementAndGet() % 5)),
                0, 300, TimeUnit.MILLISECONDS);
        stack = new Stack("tradeplane_test_e2e").withEngineJvm(
                        "-Dtradeplane.binance.enabled=true",
                        "-Dtradeplane.binance.base-url=" + fake.httpUrl(),
                        "-Dtradeplane.binance.ws-url=" + fake.wsUrl(),
                        "-Dtradeplane.binance.ws-api-url=" + fake.wsApiUrl(),
                        "-Dtradeplane.binance.api-key=" + FakeBinance.API_KEY,
                        "-Dtradeplane.binance.api-secret=" + FakeBinance.SECRET,
                        "-Dtradeplane.binance.symbols=BTCUSDT")
                .withEngineVenue("BINANCE").start();
    }

    @AfterAll
    static void stop() {
        MARKET.shutdownNow();
        if (stack != null) {
            stack.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private static RequestSpecification ops() {
        return given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }

    @Test
    void aSignalBecomesABinanceOrderFilledByPushAndReconciled() {
        await().atMost(Duration.ofSeconds(30)).until(() -> engine().get("/market/BTCUSDT.BINANCE").statusCode() == 200);
        String signalId = "bn-" + System.nanoTime();

        JsonPath answer = ops().body("""
                {"signal_id":"%s","symbol":"BTCUSDT.BINANCE","side":"BUY","quantity":"0.001","type":"LIMIT","price":"64990.00"}"""
                .formatted(signalId)).post("/strategy/signal").then().statusCode(202).body("order_status", equalTo("OPEN"))
                .extract().jsonPath();
        String orderId = answer.getString("order_id");
        String clientOrderId = "ops-" + signalId;
        engine().get("/orders/" + orderId).then().statusCode(200).body("client_order_id", equalTo(clientOrderId));
        assertEquals("NEW", fake.order(clientOrderId).orElseThrow().getString("status"), "resting at Binance");

        fake.trade("BTCUSDT", new BigDecimal("64990.00"), new BigDecimal("0.001"), true);

        await().atMost(Duration.ofSeconds(20)).until(() -> "FILLED".equals(engine().get("/orders/" + orderId).jsonPath().getString("status")));
        JsonPath order = engine().get("/orders/" + orderId).then().extract().jsonPath();
        assertEquals("MAKER", order.getString("fills[0].liquidity"));
        assertEquals("FILLED", fake.order(clientOrderId).orElseThrow().getString("status"));

        List<Map<String, Object>> reports = engine().post("/reconciliation/run").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> binance = reports.stream().filter(r -> "BINANCE".equals(r.get("venue"))).findFirst().orElseThrow();
        assertEquals(List.of(), binance.get("mismatches"), "the engine's orders and balances are the account's");
        assertTrue(fake.requests().contains("POST /api/v3/order"));
    }
}
