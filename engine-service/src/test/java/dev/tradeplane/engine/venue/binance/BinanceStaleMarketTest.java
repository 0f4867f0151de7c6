package dev.tradeplane.engine.venue.binance;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.metricSum;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.BinanceStaleProfile;
import dev.tradeplane.engine.support.FakeBinanceResource;
import dev.tradeplane.fakebinance.FakeBinance;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When Binance's market data stops (the stream is lost and cannot be opened again), the book's touch ages and the
 * venue's market-data breaker opens, refusing orders; once the stream is back and the book in step, it closes. A quiet
 * book on a live connection is not stale; a connection that goes silent without closing is found and opened again.
 */
@QuarkusTest
@TestProfile(BinanceStaleProfile.class)
class BinanceStaleMarketTest {

    private final ScheduledExecutorService market = Executors.newSingleThreadScheduledExecutor();
    private FakeBinance fake;

    /** A live market: a level far from the touch changes every 300 ms. */
    @BeforeEach
    void liveMarket() {
        fake = FakeBinanceResource.fake();
        AtomicInteger n = new AtomicInteger();
        market.scheduleAtFixedRate(() -> fake.setLevel("BTCUSDT", true, new BigDecimal("64900.00"),
                BigDecimal.valueOf(1 + n.incrementAndGet() % 5)), 0, 300, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        market.shutdownNow();
        fake.refuseMarketStreams(false);
        fake.lagMarketStreams(Duration.ZERO);
    }

    private static String breaker() {
        List<String> states = authed().get("/risk/state").jsonPath()
                .getList("breakers.findAll { it.name == 'market_data' && it.venue == 'BINANCE' }.state");
        return states.isEmpty() ? "CLOSED" : states.get(0);
    }

    private static io.restassured.response.Response order() {
        return authed().header("Idempotency-Key", key())
                .body("{\"symbol\":\"BTCUSDT.BINANCE\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.001\",\"price\":\"64000.00\"}")
                .post("/orders");
    }

    @Test
    void aStreamThatLagsAgesTheBookThoughItsMessagesAndPongsKeepArriving() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        fake.lagMarketStreams(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(15)).until(() -> "OPEN".equals(breaker()));
        long age = authed().get("/market/BTCUSDT.BINANCE").then().statusCode(200).extract().jsonPath().getLong("age_ms");
        assertTrue(age >= 4000, "as old as Binance's events say, not as fresh as their arrival: " + age + " ms");
        order().then().statusCode(503).body("reason", equalTo("CIRCUIT_BREAKER"));
        fake.lagMarketStreams(Duration.ZERO);
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
    }

    @Test
    void aLostMarketStreamOpensTheBreakerUntilTheBookIsInStepAgain() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        order().then().statusCode(201);

        fake.refuseMarketStreams(true);
        fake.dropMarketStreams();

        await().atMost(Duration.ofSeconds(15)).until(() -> "OPEN".equals(breaker()));
        order().then().statusCode(503).body("reason", equalTo("CIRCUIT_BREAKER"));
        long age = authed().get("/market/BTCUSDT.BINANCE").then().statusCode(200).extract().jsonPath().getLong("age_ms");
        assertTrue(age >= 2000, "the touch kept the time it was last in step: " + age + " ms");

        fake.refuseMarketStreams(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> "CLOSED".equals(breaker()));
        order().then().statusCode(201);
    }

    private static double reconnects() {
        return metricSum("market_data_reconnects_total", "venue=\"BINANCE\"");
    }

    @Test
    void aQuietBookOnALiveConnectionStaysFresh() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        market.shutdownNow();
        // Nothing changes in the book for twice the breaker's time: no diff arrives, but the pongs say the connection lives.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> "CLOSED".equals(breaker()));
        long age = authed().get("/market/BTCUSDT.BINANCE").then().statusCode(200).extract().jsonPath().getLong("age_ms");
        assertTrue(age < 2000, "the touch is current as of the last pong: " + age + " ms");
        order().then().statusCode(201);
    }

    @Test
    void aConnectionThatGoesSilentWithoutClosingIsOpenedAgain() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        double before = reconnects();
        fake.freezeMarketStreams();
        await().atMost(Duration.ofSeconds(10)).until(() -> reconnects() > before);
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker())
                && authed().get("/market/BTCUSDT.BINANCE").jsonPath().getLong("age_ms") < 1000);
        order().then().statusCode(201);
    }

    private static double crossedResyncs() {
        return metricSum("market_data_resyncs_total", "venue=\"BINANCE\"", "reason=\"crossed\"");
    }

    @Test
    void aBookLeftWithOneSideIsNotKeptFreshByPongsAndTheBreakerOpens() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        List<String> asks = authed().queryParam("levels", 50).get("/market/BTCUSDT.BINANCE").jsonPath().getList("asks.price");
        List<String> sizes = authed().queryParam("levels", 50).get("/market/BTCUSDT.BINANCE").jsonPath().getList("asks.quantity");
        try {
            asks.forEach(p -> fake.setLevel("BTCUSDT", false, new BigDecimal(p), BigDecimal.ZERO));
            await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(breaker()));
            io.restassured.path.json.JsonPath m = authed().get("/market/BTCUSDT.BINANCE").then().statusCode(200).extract().jsonPath();
            assertTrue(m.getBoolean("book_synced"), "in step, with no asks: " + m.prettify());
            assertTrue(m.getList("asks").isEmpty());
            assertTrue(m.getLong("age_ms") >= 2000, "the last two-sided touch keeps its time: " + m.getLong("age_ms"));
        } finally {
            for (int i = 0; i < asks.size(); i++) {
                fake.setLevel("BTCUSDT", false, new BigDecimal(asks.get(i)), new BigDecimal(sizes.get(i)));
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
    }

    @Test
    void aBookThatCrossesIsResynchronizedAndStaleWhileItStaysCrossed() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        BigDecimal ask = new BigDecimal(authed().get("/market/BTCUSDT.BINANCE").jsonPath().getString("ask"));
        BigDecimal crossing = ask.add(BigDecimal.ONE);
        double before = crossedResyncs();
        try {
            fake.setLevel("BTCUSDT", true, crossing, new BigDecimal("0.1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> crossedResyncs() > before);
            await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(breaker()));
        } finally {
            fake.setLevel("BTCUSDT", true, crossing, BigDecimal.ZERO);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        order().then().statusCode(201);
    }

    @Test
    void aSnapshotThatComesCrossedDoesNotPutTheBookInStepEvenOnAQuietMarket() {
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(breaker()));
        market.shutdownNow(); // no diff will come after the snapshot to show the book crossed
        BigDecimal ask = new BigDecimal(authed().get("/market/BTCUSDT.BINANCE").jsonPath().getString("ask"));
        BigDecimal crossing = ask.add(BigDecimal.ONE);
        double before = crossedResyncs();
        try {
            // The diff crosses the book; the snapshot taken to resynchronize has the crossing level too.
            fake.setLevel("BTCUSDT", true, crossing, new BigDecimal("0.1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> crossedResyncs() >= before + 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(breaker()));
            assertTrue(!authed().get("/market/BTCUSDT.BINANCE").jsonPath().getBoolean("book_synced"), "out of step while crossed");
        } finally {
            fake.setLevel("BTCUSDT", true, crossing, BigDecimal.ZERO);
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> "CLOSED".equals(breaker()));
    }
}
