package dev.tradeplane.engine.venue.binance;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.support.BinanceProfile;
import dev.tradeplane.engine.support.FakeBinanceResource;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.fakebinance.FakeBinance;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's normal flow on Binance, against a local fake of Binance's REST API and streams (nothing leaves the
 * machine): the book kept in step (and resynchronized after a sequence gap), orders placed, fills by push (each once)
 * and by REST polling when the stream is down, Binance's rate-limit and timestamp answers, ChaseLimit's re-pricing by
 * cancel/replace and its post-only re-placement, and reconciliation with the account.
 */
@QuarkusTest
@TestProfile(BinanceProfile.class)
class BinanceVenueTest {

    private static final String SYMBOL = "BTCUSDT";
    private static final String INSTRUMENT = "BTCUSDT.BINANCE";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    Venues venues;

    @Inject
    BinanceConfig config;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @Inject
    java.time.Clock clock;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    BinanceOrderIds orderIds;

    FakeBinance fake;
    String model;

    @BeforeEach
    void standardBook() {
        fake = FakeBinanceResource.fake();
        fake.pushExecutionReports(true);
        fake.delayExecutionReports(Duration.ZERO);
        fake.refuseUserStreams(false);
        fake.catchUpMyTrades();
        for (int cents = 6498500; cents <= 6501500; cents += 50) {
            BigDecimal price = BigDecimal.valueOf(cents, 2);
            boolean standard = price.remainder(BigDecimal.ONE).signum() == 0 && price.subtract(new BigDecimal("65000")).abs().compareTo(BigDecimal.valueOf(5)) <= 0
                    && price.compareTo(new BigDecimal("65000")) != 0;
            fake.setLevel(SYMBOL, price.compareTo(new BigDecimal("65000")) < 0, price, standard ? new BigDecimal("0.5") : BigDecimal.ZERO);
        }
        model = uniqueModel();
        await().atMost(WAIT).until(() -> bid().compareTo(new BigDecimal("64999")) == 0 && ask().compareTo(new BigDecimal("65001")) == 0);
    }

    private static JsonPath market() {
        return authed().get("/market/" + INSTRUMENT).then().statusCode(200).extract().jsonPath();
    }

    private static BigDecimal bid() {
        return new BigDecimal(market().getString("bid"));
    }

    private static BigDecimal ask() {
        return new BigDecimal(market().getString("ask"));
    }

    private static JsonPath placed(String json) {
        return authed().header("Idempotency-Key", key()).body(json).post("/orders").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath order(String id) {
        return authed().get("/orders/" + id).then().statusCode(200).extract().jsonPath();
    }

    private String limit(String side, String quantity, String price) {
        return """
                {"symbol":"%s","side":"%s","type":"LIMIT","quantity":"%s","price":"%s","model":"%s"}"""
                .formatted(INSTRUMENT, side, quantity, price, model);
    }

    private BinanceVenue binance() {
        return (BinanceVenue) venues.venue("BINANCE").orElseThrow();
    }

    private static double gapResyncs() {
        return dev.tradeplane.engine.support.Api.metricSum("market_data_resyncs_total", "reason=\"gap\"", "symbol=\"BTCUSDT\"",
                "venue=\"BINANCE\"");
    }

    private long tradeReads() {
        return fake.requests().stream().filter(r -> r.equals("GET /api/v3/myTrades")).count();
    }

    private long orderPosts() {
        return fake.requests().stream().filter(r -> r.equals("POST /api/v3/order")).count();
    }

    @Test
    void theBookIsKeptInStepAndShownByTheMarketApi() {
        fake.trade(SYMBOL, new BigDecimal("65001.00"), new BigDecimal("0.1"), false);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath m = market();
            assertEquals(0, new BigDecimal("64999").compareTo(new BigDecimal(m.getString("bid"))));
            assertEquals(0, new BigDecimal("65001").compareTo(new BigDecimal(m.getString("ask"))));
            assertEquals(5, m.getList("bids").size());
            assertEquals("BUY", m.getString("last_trade.side"), "the buyer took the ask");
        });
        JsonPath m = authed().queryParam("depth_bps", "1").get("/market/" + INSTRUMENT).then().statusCode(200).extract().jsonPath();
        assertEquals(0, new BigDecimal("2.5").compareTo(new BigDecimal(m.getString("bid_depth"))), "65000 - 6.5 .. 65000: five levels of 0.5");
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(m.getString("imbalance"))));
        String tick = authed().get("/instruments").then().statusCode(200).extract().jsonPath()
                .getString("find { it.symbol == 'BTCUSDT.BINANCE' }.tick_size");
        assertEquals(0, new BigDecimal("0.01").compareTo(new BigDecimal(tick)), "the rules come from exchangeInfo");

        // Binance's trades make the one-minute klines too.
        await().atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> klines = authed().get("/market/" + INSTRUMENT + "/klines").then().statusCode(200).extract().jsonPath().getList("$");
            assertFalse(klines.isEmpty());
            assertEquals(0, new BigDecimal("65001").compareTo(new BigDecimal(String.valueOf(klines.get(klines.size() - 1).get("close")))));
        });

        // One side changes: the imbalance follows the venue's book.
        fake.setLevel(SYMBOL, true, new BigDecimal("64999.00"), new BigDecimal("1.5"));
        await().atMost(WAIT).until(() -> new BigDecimal(market().getString("imbalance")).signum() > 0);
        // The book stands at Binance's latest update id.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath now = market();
            assertTrue(now.getBoolean("book_synced"));
            assertEquals(fake.lastUpdateId(SYMBOL), now.getLong("sequence"));
        });
    }

    @Test
    void aSequenceGapIsFoundAndTheBookResynchronizedFromANewSnapshot() {
        int snapshots = fake.snapshotRequests(SYMBOL);
        double gaps = gapResyncs();
        fake.skipSequence(SYMBOL, 3);
        fake.setLevel(SYMBOL, true, new BigDecimal("64999.50"), new BigDecimal("0.7"));

        await().atMost(WAIT).until(() -> fake.snapshotRequests(SYMBOL) > snapshots && bid().compareTo(new BigDecimal("64999.5")) == 0);
        assertTrue(gapResyncs() > gaps, "counted");

        // In step again: the next diff applies without another snapshot.
        int after = fake.snapshotRequests(SYMBOL);
        fake.setLevel(SYMBOL, false, new BigDecimal("65000.50"), new BigDecimal("0.2"));
        await().atMost(WAIT).until(() -> ask().compareTo(new BigDecimal("65000.5")) == 0);
        assertEquals(after, fake.snapshotRequests(SYMBOL));
    }

    @Test
    void aLostMarketStreamIsReconnectedAndTheBookStartsAgainFromASnapshot() {
        int connections = fake.marketConnections();
        int snapshots = fake.snapshotRequests(SYMBOL);
        fake.dropMarketStreams();
        fake.setLevel(SYMBOL, true, new BigDecimal("64999.50"), new BigDecimal("0.3"));

        await().atMost(WAIT).until(() -> fake.marketConnections() > connections);
        fake.setLevel(SYMBOL, false, new BigDecimal("65000.50"), new BigDecimal("0.3"));
        await().atMost(WAIT).until(() -> fake.snapshotRequests(SYMBOL) > snapshots && bid().compareTo(new BigDecimal("64999.5")) == 0
                && ask().compareTo(new BigDecimal("65000.5")) == 0);
    }

    @Test
    void aMarketOrderFillsInItsAnswerAndARestingOrderByPushEachFillOnce() {
        JsonPath market = placed("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"0.001","model":"%s"}""".formatted(INSTRUMENT, model));
        assertEquals("FILLED", market.getString("status"));
        assertEquals(0, new BigDecimal("65001").compareTo(new BigDecimal(market.getString("average_price"))));
        String marketId = market.getString("id");

        JsonPath resting = placed(limit("BUY", "0.002", "64990.00"));
        assertEquals("OPEN", resting.getString("status"));
        JsonObject atBinance = fake.order(BinanceVenue.binanceId(resting.getString("client_order_id"))).orElseThrow();
        assertEquals("LIMIT", atBinance.getString("type"));
        assertEquals("GTC", atBinance.getString("timeInForce"));

        // No catch-up poll left over from an earlier test is still reading trades.
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> {
            long before = tradeReads();
            Thread.sleep(100);
            return tradeReads() == before;
        });
        long polls = tradeReads();
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.002"), true);
        String restingId = resting.getString("id");
        await().atMost(WAIT).until(() -> "FILLED".equals(order(restingId).getString("status")));
        assertEquals(polls, tradeReads(), "the fill came by push: no trades were read over REST for it");
        assertTrue(binance().userStreamConnected());
        JsonPath filled = order(restingId);
        assertEquals("MAKER", filled.getString("fills[0].liquidity"));
        assertEquals(0, new BigDecimal("0.10398400").compareTo(new BigDecimal(filled.getString("fills[0].fee"))), "0.0008 of 129.98 USDT");

        // The market order's execution report came after its answer: its fill is not booked twice.
        await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> order(marketId).getList("fills").size() == 1);
        authed().queryParam("model", model).get("/positions").then().body("find { it.symbol == 'BTCUSDT.BINANCE' }.quantity", equalTo("0.003"));
    }

    @Test
    void whileTheUserStreamIsDownFillsArePolledOverRest() {
        fake.refuseUserStreams(true);
        fake.dropUserStreams();
        await().atMost(WAIT).until(() -> !binance().userStreamConnected());

        JsonPath resting = placed(limit("SELL", "0.001", "65010.00"));
        fake.trade(SYMBOL, new BigDecimal("65010.00"), new BigDecimal("0.001"), false);

        String id = resting.getString("id");
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        assertTrue(fake.requests().contains("GET /api/v3/myTrades"), "polled");

        fake.refuseUserStreams(false);
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        assertEquals(1, order(id).getList("fills").size(), "the reconnected stream does not bring it again");
    }

    @Test
    void aRefusedOrEndedUserDataSubscriptionIsMadeAgainAndFillsArriveByPushAfterIt() {
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        int before = fake.subscriptions();
        // Refused twice (a bad signature, then a rate limit): an open socket without a subscription is not connected.
        fake.failNextSubscription(400, -1022, "Signature for this request is not valid.");
        fake.failNextSubscription(429, -1003, "Too many requests.");
        fake.dropUserStreams();
        // Refused, the stream is down (its socket may be open) until the 429's wait of a second is over.
        await().atMost(WAIT).until(() -> !binance().userStreamConnected());
        await().atMost(WAIT).until(() -> fake.subscriptions() == before + 1 && binance().userStreamConnected());

        // Binance ends the subscription and keeps the connection: the adapter subscribes again.
        fake.terminateUserStreams();
        await().atMost(WAIT).until(() -> fake.subscriptions() == before + 2 && fake.subscribedConnections() == 1
                && binance().userStreamConnected());

        JsonPath resting = placed(limit("SELL", "0.001", "65020.00"));
        fake.trade(SYMBOL, new BigDecimal("65020.00"), new BigDecimal("0.001"), false);
        String id = resting.getString("id");
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        assertEquals(1, order(id).getList("fills").size());
    }

    @Test
    void aUserDataSubscriptionDroppedSoonAfterItWasAcknowledgedCountsAsAFailedReconnection() {
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        for (int drop = 1; drop <= 2; drop++) {
            int before = fake.subscriptions();
            fake.dropUserStreams();
            await().atMost(WAIT).until(() -> fake.subscriptions() > before && binance().userStreamConnected());
            // Acknowledged again, but not up for 30 s: the next loss waits longer (with a catch-up poll less often).
            assertTrue(binance().userStreamReconnectFailures() >= drop, "after drop " + drop + ": " + binance().userStreamReconnectFailures());
        }
    }

    @Test
    void aTradeWhosePushWasLostIsCaughtUpWhenTheUserStreamConnectsAgain() {
        JsonPath resting = placed(limit("BUY", "0.002", "64990.00"));
        String id = resting.getString("id");
        fake.pushExecutionReports(false);
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        fake.pushExecutionReports(true);
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> order(id).getList("fills").size() == 1);
        assertEquals("PARTIALLY_FILLED", order(id).getString("status"), "the second trade came by push, the first was lost");

        fake.dropUserStreams();
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        assertEquals(2, order(id).getList("fills").size(), "the lost trade is polled when the stream connects again, each trade once");
        assertEquals("0.002", order(id).getString("filled_quantity"));
    }

    @Test
    void aSubscriptionRefusedForItsTimestampIsSignedAgainAfterTheServerTimeIsMeasured() {
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        int before = fake.subscriptions();
        fake.clockOffset(Duration.ofSeconds(10));
        try {
            long timeReads = fake.requests().stream().filter("GET /api/v3/time"::equals).count();
            fake.dropUserStreams();
            await().atMost(WAIT).until(() -> fake.subscriptions() > before && binance().userStreamConnected());
            assertTrue(fake.requests().stream().filter("GET /api/v3/time"::equals).count() > timeReads, "the server time was measured again (before the next subscription, or by a poll refused in the meantime)");
        } finally {
            fake.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void aServerShutdownAnnouncementHasBothStreamsOpenedAgainAtOnce() {
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        int subscriptions = fake.subscriptions();
        int markets = fake.marketConnections();
        fake.announceShutdown();
        // Diffs keep coming on the announcing connection while the adapter replaces it: they must not leave the book
        // waiting for a snapshot that is never asked for.
        fake.setLevel(SYMBOL, false, new BigDecimal("65003.00"), new BigDecimal("0.6"));
        fake.setLevel(SYMBOL, false, new BigDecimal("65003.00"), new BigDecimal("0.5"));
        // The fake leaves its connections open: only the adapter's own reaction replaces them.
        await().atMost(WAIT).until(() -> fake.subscriptions() > subscriptions && fake.subscribedConnections() == 1
                && fake.marketConnections() > markets && binance().userStreamConnected());
        // The new market connection's book is in step: a diff sent on it moves the touch.
        fake.setLevel(SYMBOL, true, new BigDecimal("64999.50"), new BigDecimal("0.3"));
        try {
            await().atMost(WAIT).until(() -> bid().compareTo(new BigDecimal("64999.50")) == 0);
        } finally {
            fake.setLevel(SYMBOL, true, new BigDecimal("64999.50"), BigDecimal.ZERO);
        }
    }

    @Test
    void aCatchUpPollThatFailsIsTriedAgainWhileTheUserStreamStaysUp() {
        JsonPath resting = placed(limit("BUY", "0.001", "64985.00"));
        String id = resting.getString("id");
        fake.pushExecutionReports(false);
        fake.trade(SYMBOL, new BigDecimal("64985.00"), new BigDecimal("0.001"), true);
        fake.pushExecutionReports(true);
        // More failed trade reads than polls before and at the reconnection (the stream is down for some 100 ms, polls
        // are 300 ms apart): only polls tried again while the stream is up can book the trade.
        for (int i = 0; i < 6; i++) {
            fake.failNextOn("/api/v3/myTrades", 500, -1001, "Internal error; unable to process your request. Please try again.");
        }
        fake.dropUserStreams();
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        assertTrue(binance().userStreamConnected(), "caught up while the stream is up, not by the fallback polling");
        assertEquals(1, order(id).getList("fills").size());
    }

    @Test
    void anOrderCanceledOutsideTheEngineIsClosedByItsExecutionReportAndAReplaceIsNot() {
        JsonPath replaced = placed(limit("BUY", "0.001", "64980.00"));
        // The report that Binance canceled the replaced order arrives after the replace is settled: it is of the old
        // Binance order, not the order's current one.
        fake.delayExecutionReports(Duration.ofMillis(500));
        try {
            authed().body("{\"price\":\"64981.00\"}").patch("/orders/" + replaced.getString("id")).then().statusCode(200);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> "OPEN".equals(order(replaced.getString("id")).getString("status")));
        } finally {
            fake.delayExecutionReports(Duration.ZERO);
        }
        JsonPath outside = placed(limit("BUY", "0.001", "64970.00"));
        String id = outside.getString("id");

        fake.cancelFromOutside(BinanceVenue.binanceId(outside.getString("client_order_id")));
        await().atMost(WAIT).until(() -> "CANCELED".equals(order(id).getString("status")));
        assertEquals("OPEN", order(replaced.getString("id")).getString("status"),
                "the cancel Binance reports for the order a cancel/replace replaced does not end ours");
        authed().delete("/orders/" + replaced.getString("id")).then().statusCode(200).body("status", equalTo("CANCELED"));
    }

    @Test
    void aReplaceAfterARestartIsSizedFromEveryBinanceOrderTheOrderHasBeenThrough() {
        JsonPath placed = placed(limit("BUY", "0.003", "64990.00"));
        String id = placed.getString("id");
        String cid = placed.getString("client_order_id");
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.001".equals(order(id).getString("filled_quantity")));
        // The first Binance order filled 0.001; its replacement is a second Binance order for the 0.002 left.
        authed().body("{\"price\":\"64991.00\"}").patch("/orders/" + id).then().statusCode(200);
        assertEquals(0, new BigDecimal("0.002").compareTo(new BigDecimal(fake.order(BinanceVenue.binanceId(cid)).orElseThrow().getString("origQty"))));
        fake.trade(SYMBOL, new BigDecimal("64991.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.002".equals(order(id).getString("filled_quantity")));

        // A restarted adapter knows nothing of the order: it rebuilds its track from the latest Binance order alone
        // (0.001 of 0.002 executed). Asked to re-price with the engine's booked quantity one trade behind (0.001, the
        // second trade still on its way to the order's lane), it must still size the replacement for the 0.001 left.
        BinanceVenue restarted = restartedAdapter();
        dev.tradeplane.engine.venue.ReplaceAck ack;
        try {
            ack = restarted.replace(SYMBOL, cid, new BigDecimal("0.003"), new BigDecimal("64992.00"), new BigDecimal("0.003"),
                    new BigDecimal("0.001")).await().atMost(WAIT);
        } finally {
            restarted.stop();
        }
        assertEquals(dev.tradeplane.engine.venue.ReplaceAck.Outcome.REPLACED, ack.outcome());
        JsonObject latest = fake.order(BinanceVenue.binanceId(cid)).orElseThrow();
        assertEquals(0, new BigDecimal("0.001").compareTo(new BigDecimal(latest.getString("origQty"))),
                "0.003 in all: 0.001 + 0.001 filled before, 0.001 now; was " + latest);
        // The engine took the old Binance order's cancel (its own adapter never saw the replace) for the order's end.
        fake.cancelFromOutside(BinanceVenue.binanceId(cid));
        await().atMost(WAIT).until(() -> fake.order(BinanceVenue.binanceId(cid)).map(o -> !"NEW".equals(o.getString("status"))
                && !"PARTIALLY_FILLED".equals(o.getString("status"))).orElse(true));
    }

    @Test
    void everyTradeOfAnOrderIsReadBeforeItsCancelIsAnsweredBeyondBinancesPageOfAThousand() {
        JsonPath resting = placed(limit("BUY", "0.02", "64950.00"));
        String id = resting.getString("id");
        String cid = BinanceVenue.binanceId(resting.getString("client_order_id"));
        // 1,001 trades Binance made but did not push: more than one page of myTrades (1,000 at most, 500 by default).
        fake.pushExecutionReports(false);
        try {
            for (int i = 0; i < 1001; i++) {
                fake.trade(SYMBOL, new BigDecimal("64950.00"), new BigDecimal("0.00001"), true);
            }
        } finally {
            fake.pushExecutionReports(true);
        }
        assertEquals(0, new BigDecimal("0.01001").compareTo(new BigDecimal(fake.order(cid).orElseThrow().getString("executedQty"))));

        authed().delete("/orders/" + id).then().statusCode(200).body("status", equalTo("CANCELED"));
        assertEquals(0, new BigDecimal("0.01001").compareTo(new BigDecimal(order(id).getString("filled_quantity"))),
                "every trade was read before the cancel was answered");
    }

    /**
     * A trade Binance made on a resting order that the engine has not been told of: not pushed, and missing from
     * myTrades for its next {@code lagReads} answers (myTrades lags behind the matching engine).
     */
    private void unpushedTrade(String price, String quantity, int lagReads) {
        await().atMost(WAIT).until(() -> binance().userStreamConnected());
        fake.pushExecutionReports(false);
        fake.lagMyTrades(lagReads);
        try {
            fake.trade(SYMBOL, new BigDecimal(price), new BigDecimal(quantity), true);
        } finally {
            fake.lagMyTrades(0);
            fake.pushExecutionReports(true);
        }
    }

    @Test
    void aCancelIsAnsweredOnlyOnceTheTradesBinanceShowsAddUpToWhatTheOrderExecuted() {
        JsonPath resting = placed(limit("BUY", "0.003", "64950.00"));
        String id = resting.getString("id");
        // myTrades does not show the trade to the cancel's first read, nor to the next: the adapter reads again until
        // the trades add up to the executedQty of Binance's answer.
        unpushedTrade("64950.00", "0.001", 2);

        JsonPath canceled = authed().delete("/orders/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELED", canceled.getString("status"));
        assertEquals(0, new BigDecimal("0.001").compareTo(new BigDecimal(canceled.getString("filled_quantity"))),
                "the order ends with the trade Binance made: " + canceled.prettify());
    }

    @Test
    void aCancelWhoseTradesBinanceDoesNotShowYetLeavesTheOrderPendingUntilItIsSettledWithThem() {
        JsonPath resting = placed(limit("BUY", "0.003", "64950.00"));
        String id = resting.getString("id");
        unpushedTrade("64950.00", "0.001", 1000);

        // Binance canceled the order, but its trades do not add up to what it executed however often they are read:
        // not an answer to end the order on.
        authed().delete("/orders/" + id).then().statusCode(503);
        assertEquals("PENDING_CANCEL", order(id).getString("status"));
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(order(id).getString("filled_quantity"))));

        // Reconciliation settles it once myTrades has caught up: ended with the trade.
        fake.catchUpMyTrades();
        binanceMismatches();
        await().atMost(WAIT).until(() -> "CANCELED".equals(order(id).getString("status")));
        assertEquals(0, new BigDecimal("0.001").compareTo(new BigDecimal(order(id).getString("filled_quantity"))));
    }

    @Test
    void anOrderBinanceEndedIsClosedByItsReportOrAQueryOnlyWithAllItsTrades() {
        JsonPath resting = placed(limit("BUY", "0.003", "64950.00"));
        String id = resting.getString("id");
        unpushedTrade("64950.00", "0.001", 1000);

        // Canceled on Binance's site: the report says 0.001 executed, myTrades shows nothing of it yet. Neither the
        // report nor reconciliation's query of the order closes it without the trade.
        fake.cancelFromOutside(BinanceVenue.binanceId(resting.getString("client_order_id")));
        // Reconciliation cannot settle the order until Binance shows the trade: a 503 naming the venue, not a 500.
        authed().post("/reconciliation/run").then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("BINANCE"));
        JsonPath meanwhile = order(id);
        assertEquals("OPEN", meanwhile.getString("status"), meanwhile.prettify());
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(meanwhile.getString("filled_quantity"))));

        fake.catchUpMyTrades();
        binanceMismatches();
        await().atMost(WAIT).until(() -> "CANCELED".equals(order(id).getString("status")));
        assertEquals(0, new BigDecimal("0.001").compareTo(new BigDecimal(order(id).getString("filled_quantity"))));
    }

    @Test
    void aReplaceThatEndsTheOrderAfterItsCancelStepReportsEveryTradeTheCanceledOrderMadeFirst() {
        JsonPath placed = placed("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"0.003","price":"64990.00","post_only":true,"model":"%s"}"""
                .formatted(INSTRUMENT, model));
        String id = placed.getString("id");
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.001".equals(order(id).getString("filled_quantity")));
        unpushedTrade("64990.00", "0.001", 2);

        // Something has filled: cancel, then a post-only replacement for the 0.001 left at the ask, which Binance refuses
        // as taking. The order ends, and it must end with both trades, or a chase would place 0.002 anew.
        authed().body("{\"price\":\"65001.00\"}").patch("/orders/" + id).then().statusCode(409);
        JsonPath ended = order(id);
        assertEquals("CANCELED", ended.getString("status"));
        assertEquals(0, new BigDecimal("0.002").compareTo(new BigDecimal(ended.getString("filled_quantity"))), ended.prettify());
    }

    /** What Binance executed of every Binance order an order of ours has been through. */
    private BigDecimal executedAtBinance(String binanceClientId) {
        return fake.orders().stream().filter(o -> binanceClientId.equals(o.getString("clientOrderId")))
                .map(o -> new BigDecimal(o.getString("executedQty"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aReplaceAtAPriceThatTakesAtOnceWhileAFillIsOnItsWayNeverOverfills() {
        JsonPath placed = placed(limit("BUY", "0.003", "64990.00"));
        String id = placed.getString("id");
        String cid = BinanceVenue.binanceId(placed.getString("client_order_id"));
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.001".equals(order(id).getString("filled_quantity")));

        // A second trade the adapter has not heard of when the order is re-priced through the ask: 0.002 has filled,
        // not the 0.001 the engine knows, so a replacement for 0.002 would take 0.002 at once and make 0.004.
        fake.pushExecutionReports(false);
        try {
            fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
            int status = authed().body("{\"price\":\"65001.00\"}").patch("/orders/" + id).statusCode();
            assertEquals(0, new BigDecimal("0.003").compareTo(executedAtBinance(cid)), "Binance executed the order's quantity, no more");
            assertEquals(200, status, "replaced (and filled at once)");
        } finally {
            fake.pushExecutionReports(true);
        }
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        JsonPath filled = order(id);
        assertEquals(0, new BigDecimal("0.003").compareTo(new BigDecimal(filled.getString("filled_quantity"))));
        assertEquals(0, new BigDecimal("0.003").compareTo(new BigDecimal(filled.getString("quantity"))), "never grown to fit an overfill");
    }

    @Test
    void aSmallerQuantityAtTheSamePriceAmendsTheBinanceOrderInPlaceCountingAFillOnItsWay() {
        JsonPath placed = placed(limit("BUY", "0.003", "64990.00"));
        String id = placed.getString("id");
        String cid = BinanceVenue.binanceId(placed.getString("client_order_id"));
        long binanceOrderId = fake.order(cid).orElseThrow().getLong("orderId");
        fake.pushExecutionReports(false);
        try {
            fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
            JsonPath replaced = authed().body("{\"quantity\":\"0.002\"}").patch("/orders/" + id).then().statusCode(200).extract().jsonPath();
            assertEquals(0, new BigDecimal("0.002").compareTo(new BigDecimal(replaced.getString("quantity"))));
            assertEquals(0, new BigDecimal("0.001").compareTo(new BigDecimal(replaced.getString("filled_quantity"))),
                    "the trade made before the amend was read and booked first");
        } finally {
            fake.pushExecutionReports(true);
        }
        JsonObject atBinance = fake.order(cid).orElseThrow();
        assertEquals(binanceOrderId, atBinance.getLong("orderId"), "the same Binance order, so it keeps its place in the queue");
        assertEquals(0, new BigDecimal("0.002").compareTo(new BigDecimal(atBinance.getString("origQty"))));
        assertTrue(fake.requests().contains("PUT /api/v3/order/amend/keepPriority"));

        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.005"), true);
        await().atMost(WAIT).until(() -> "FILLED".equals(order(id).getString("status")));
        assertEquals(0, new BigDecimal("0.002").compareTo(executedAtBinance(cid)));
        assertEquals(0, new BigDecimal("0.002").compareTo(new BigDecimal(order(id).getString("filled_quantity"))));
    }

    private static final String UNKNOWN = "Timeout waiting for response from backend server. Send status unknown; execution status unknown.";

    @Test
    void anOrderBinanceAnswersWithExecutionStatusUnknownIsAskedForNotRejectedWhateverTheHttpStatus() {
        // -1006 comes with a 4xx here: "execution status unknown" all the same (errors.md), and Binance did place it.
        fake.failNextAfterExecuting("/api/v3/order", 400, -1006, "An unexpected response was received from the message bus. Execution status unknown.");
        JsonPath o = placed(limit("BUY", "0.001", "64000.00"));
        assertEquals("OPEN", o.getString("status"), "found at Binance by its client order id");
        String cid = BinanceVenue.binanceId(o.getString("client_order_id"));
        assertEquals(1, fake.orders().stream().filter(x -> cid.equals(x.getString("clientOrderId"))).count());
        authed().delete("/orders/" + o.getString("id")).then().statusCode(200);
    }

    @Test
    void anOrderBinanceTakesUpAfterItsSubmitTimedOutIsAdoptedNotRejected() {
        // Binance answers -1007 at once and places the order 2 s later, within its recvWindow: asked at once, it does
        // not know the order yet.
        fake.failNextThenExecuteLater("/api/v3/order", 503, -1007, UNKNOWN, Duration.ofSeconds(2));
        JsonPath o = placed(limit("BUY", "0.001", "64000.00"));
        String id = o.getString("id");
        String cid = BinanceVenue.binanceId(o.getString("client_order_id"));
        assertFalse("REJECTED".equals(o.getString("status")), "not rejected while Binance may still act on the request");
        await().atMost(WAIT).until(() -> "OPEN".equals(order(id).getString("status")));
        assertEquals("NEW", fake.order(cid).orElseThrow().getString("status"));
        assertFalse(binanceMismatches().stream().anyMatch(m -> cid.equals(m.get("client_order_id"))), "ours, not an orphan");
        authed().delete("/orders/" + id).then().statusCode(200);
    }

    @Test
    void aReplaceBinanceDidNotAnswerIsSettledWithBinanceOnceItCanNoLongerActOnIt() {
        JsonPath placed = placed(limit("BUY", "0.002", "64980.00"));
        String id = placed.getString("id");
        fake.failNextAfterExecuting("/api/v3/order/cancelReplace", 503, -1007, UNKNOWN);
        authed().body("{\"price\":\"64981.00\"}").patch("/orders/" + id).then().statusCode(503);
        assertEquals("PENDING_REPLACE", order(id).getString("status"));
        // No reconciliation runs (an hour apart here): the engine asks Binance itself, once recvWindow has passed.
        await().atMost(WAIT).until(() -> "OPEN".equals(order(id).getString("status")));
        assertEquals(0, new BigDecimal("64981").compareTo(new BigDecimal(order(id).getString("price"))), "taken as Binance has it");
        authed().delete("/orders/" + id).then().statusCode(200);
    }

    @Test
    void aCancelOfAnOrderWhoseReplaceBinanceDidNotAnswerCancelsTheReplacementAtOnce() {
        JsonPath placed = placed(limit("BUY", "0.002", "64980.00"));
        String id = placed.getString("id");
        String cid = BinanceVenue.binanceId(placed.getString("client_order_id"));
        fake.failNextAfterExecuting("/api/v3/order/cancelReplace", 503, -1007, UNKNOWN);
        authed().body("{\"quantity\":\"0.003\",\"price\":\"64981.00\"}").patch("/orders/" + id).then().statusCode(503);

        // The kill switch's cancel, say: not a 409 until the replace is settled, but the cancel of what works at Binance.
        JsonPath canceled = authed().delete("/orders/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("CANCELED", canceled.getString("status"));
        assertEquals(0, new BigDecimal("0.003").compareTo(new BigDecimal(canceled.getString("quantity"))), "the replacement's quantity");
        JsonObject replacement = fake.order(cid).orElseThrow();
        assertEquals("CANCELED", replacement.getString("status"));
        assertEquals(0, new BigDecimal("64981").compareTo(new BigDecimal(replacement.getString("price"))));
    }

    @Test
    void aCancelBinanceDidButDidNotAnswerEndsTheOrderByItsExecutionReport() {
        JsonPath placed = placed(limit("BUY", "0.001", "64970.00"));
        String id = placed.getString("id");
        fake.failNextAfterExecuting("/api/v3/order", 503, -1007, UNKNOWN);
        authed().delete("/orders/" + id).then().statusCode(503);
        // Binance's execution report says it canceled the order: no answer is coming, so the report ends it.
        await().atMost(WAIT).until(() -> "CANCELED".equals(order(id).getString("status")));
    }

    /** A second adapter, as after a restart: it knows nothing of the orders but what Binance and the database say. */
    private BinanceVenue restartedAdapter() {
        return new BinanceVenue(config, vertx, mapper, clock, registry, orderIds);
    }

    @Test
    void aQueryAfterARestartReadsTheTradesOfEveryBinanceOrderTheOrderHasBeen() {
        JsonPath placed = placed(limit("BUY", "0.003", "64990.00"));
        String id = placed.getString("id");
        String ours = placed.getString("client_order_id");
        fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.001".equals(order(id).getString("filled_quantity")));
        authed().body("{\"price\":\"64991.00\"}").patch("/orders/" + id).then().statusCode(200);
        fake.trade(SYMBOL, new BigDecimal("64991.00"), new BigDecimal("0.001"), true);
        await().atMost(WAIT).until(() -> "0.002".equals(order(id).getString("filled_quantity")));

        // Binance answers a query by client order id with the replacement only; the first order's trade is found all the
        // same (say it was made while the engine was down, before the replace).
        BinanceVenue restarted = restartedAdapter();
        dev.tradeplane.engine.venue.VenueOrderState state;
        try {
            state = restarted.query(SYMBOL, ours).await().atMost(WAIT).orElseThrow();
        } finally {
            restarted.stop();
        }
        assertEquals(2, state.trades().size(), state.toString());
        assertEquals(0, new BigDecimal("0.002").compareTo(state.filledQuantity()));
        assertEquals(0, new BigDecimal("0.003").compareTo(state.quantity()), "the order's total: 0.002 filled, 0.001 open");
        authed().delete("/orders/" + id).then().statusCode(200);
    }

    @Test
    void theBinanceOrderIdsOfAnOrderTheEngineEndedAreForgottenAndThoseOfAWorkingOrderKept() {
        JsonPath ended = placed(limit("BUY", "0.001", "64900.00"));
        JsonPath working = placed(limit("BUY", "0.001", "64901.00"));
        String endedId = ended.getString("client_order_id");
        String workingId = working.getString("client_order_id");
        // Recorded just after Binance's answer.
        await().atMost(WAIT).until(() -> !orderIds.of(SYMBOL, endedId).await().atMost(WAIT).isEmpty()
                && !orderIds.of(SYMBOL, workingId).await().atMost(WAIT).isEmpty());
        authed().delete("/orders/" + ended.getString("id")).then().statusCode(200);

        // The daily pass, with every row and end old enough.
        orderIds.forgetEnded(Duration.ZERO).await().atMost(WAIT);
        assertEquals(List.of(), orderIds.of(SYMBOL, endedId).await().atMost(WAIT), "the ended order's rows are gone");
        assertEquals(1, orderIds.of(SYMBOL, workingId).await().atMost(WAIT).size(), "a working order's rows stay, however old");
        authed().delete("/orders/" + working.getString("id")).then().statusCode(200);
    }

    @Test
    void whileTheUserStreamStaysUpPollingKeepsUpWithTheAccountSoACatchUpReadsOnlyWhatIsNew() {
        // A second adapter that polls every 500 ms while its stream is up (the engine's own does so every 5 minutes).
        BinanceConfig quick = (BinanceConfig) java.lang.reflect.Proxy.newProxyInstance(BinanceConfig.class.getClassLoader(),
                new Class<?>[] {BinanceConfig.class}, (proxy, method, args) -> "pollWhileConnected".equals(method.getName())
                        ? Duration.ofMillis(500) : method.invoke(config, args));
        BinanceVenue second = new BinanceVenue(quick, vertx, mapper, clock, registry, orderIds);
        second.start().await().atMost(WAIT);
        try {
            await().atMost(WAIT).until(second::userStreamConnected);
            long before = second.pollCursor(SYMBOL);
            JsonPath resting = placed(limit("BUY", "0.001", "64990.00"));
            fake.trade(SYMBOL, new BigDecimal("64990.00"), new BigDecimal("0.001"), true);
            await().atMost(WAIT).until(() -> "FILLED".equals(order(resting.getString("id")).getString("status")));
            // Pushed, yet polled too while the stream stays up: where polling stands moves past it, so a reconnection
            // does not read it (nor anything older) again.
            await().atMost(WAIT).until(() -> second.pollCursor(SYMBOL) > before);
            assertTrue(second.userStreamConnected(), "moved without a reconnection");
        } finally {
            second.stop();
        }
    }

    @Test
    void aReplaceThatCancelsFirstHoldsItsNewOrdersPlaceWithinTheRateLimitsSoNoOtherOrderTakesIt() throws Exception {
        // A second adapter with a rate-limit count of its own, driven directly (nothing fills: the account stays the
        // engine's). Binance allows 200,000 orders a day (the fake's exchangeInfo); 199,998 are placed.
        BinanceVenue lanes = restartedAdapter();
        long counted = fake.ordersPlacedToday(199_998);
        String a = "rl-" + UUID.randomUUID().toString().substring(0, 8);
        String b = "rl-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            VenueAck first = lanes.submit(new VenueOrder(a, SYMBOL, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, new BigDecimal("0.003"),
                    new BigDecimal("64000.00"), false)).await().atMost(WAIT);
            assertEquals(VenueAck.Outcome.RESTING, first.outcome(), "the 199,999th order today");

            // Re-priced with something filled (as the engine says): the old order is canceled, then the rest placed, in
            // the day's last place. The cancel takes its time; meanwhile another order of the same adapter is sent.
            fake.holdNext("DELETE /api/v3/order");
            CompletableFuture<ReplaceAck> replace = lanes.replace(SYMBOL, a, new BigDecimal("0.003"), new BigDecimal("64001.00"),
                    new BigDecimal("0.003"), new BigDecimal("0.001")).subscribeAsCompletionStage();
            await().atMost(WAIT).until(fake::holding);
            VenueAck other = lanes.submit(new VenueOrder(b, SYMBOL, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, new BigDecimal("0.001"),
                    new BigDecimal("63000.00"), false)).await().atMost(WAIT);
            fake.releaseHeld();
            ReplaceAck ack = replace.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals(ReplaceAck.Outcome.REPLACED, ack.outcome(), "not ended over a place another order took: " + ack);
            assertEquals(0, new BigDecimal("64001").compareTo(new BigDecimal(fake.order(a).orElseThrow().getString("price"))));
            assertEquals(VenueAck.Outcome.REJECTED, other.outcome(), "the new order waits, not the replace: " + other);
            assertEquals(RejectReason.VENUE_RATE_LIMIT, other.rejectReason());
        } finally {
            fake.releaseHeld();
            for (String id : List.of(a, b)) {
                if (fake.order(id).map(o -> "NEW".equals(o.getString("status"))).orElse(false)) {
                    lanes.cancel(SYMBOL, id).await().atMost(WAIT);
                }
            }
            fake.ordersPlacedToday(counted);
            lanes.stop();
        }
    }

    @Test
    void binancesRateLimitAnswerHoldsEveryRequestForItsRetryAfter() {
        fake.failNext(429, -1003, "Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute.", 2);
        assertOrdersHeldBackAfterTheRefusal("retry after");
    }

    @Test
    void binancesBanAnswerHoldsEveryRequestForItsRetryAfterToo() {
        fake.failNext(418, -1003, "Way too many requests; IP(127.0.0.1) banned until 1764720000000.", 2);
        assertOrdersHeldBackAfterTheRefusal("418");
    }

    /**
     * After Binance's back-off answer (2 s): the order it refused, the next one held back unsent ({@code heldDetail} in
     * its detail), and orders placed again once the wait is over.
     */
    private void assertOrdersHeldBackAfterTheRefusal(String heldDetail) {
        authed().header("Idempotency-Key", key()).body(limit("BUY", "0.001", "64000.00")).post("/orders").then().statusCode(422)
                .body("reason", equalTo("VENUE_RATE_LIMIT")).body("detail", containsString("-1003"));
        long sent = orderPosts();
        authed().header("Idempotency-Key", key()).body(limit("BUY", "0.001", "64000.00")).post("/orders").then().statusCode(422)
                .body("reason", equalTo("VENUE_RATE_LIMIT")).body("detail", containsString(heldDetail));
        assertEquals(sent, orderPosts(), "held back: not sent to Binance at all");

        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> authed().header("Idempotency-Key", key())
                .body(limit("BUY", "0.001", "64000.00")).post("/orders").statusCode() == 201);
    }

    @Test
    void aTimestampBinanceRefusesIsCorrectedAndTheOrderSentOnceMore() {
        fake.clockOffset(Duration.ofSeconds(30));
        try {
            long sent = orderPosts();
            JsonPath o = placed(limit("BUY", "0.001", "64000.00"));
            assertEquals("OPEN", o.getString("status"));
            assertEquals(sent + 2, orderPosts(), "refused (-1021), then sent again after measuring Binance's time");
        } finally {
            fake.clockOffset(Duration.ZERO);
        }
    }

    @Test
    void binancesRefusalsBecomeOurRejectReasons() {
        // The account holds far less than 1 BTC: Binance refuses the sale (-2010).
        authed().header("Idempotency-Key", key()).body(limit("SELL", "1", "65100.00")).post("/orders").then().statusCode(422)
                .body("reason", equalTo("INSUFFICIENT_BALANCE")).body("detail", containsString("-2010"));
        // The engine checks tick and lot itself; a rule only Binance knows (here a filter failure) is mapped too.
        fake.failNext(400, -1013, "Filter failure: NOTIONAL", null);
        authed().header("Idempotency-Key", key()).body(limit("BUY", "0.001", "64000.00")).post("/orders").then().statusCode(422)
                .body("reason", equalTo("MIN_NOTIONAL"));
        // A filter the engine knows nothing of is Binance's rule: a venue error naming Binance's code and words.
        fake.failNext(400, -1013, "Filter failure: MAX_NUM_ORDERS", null);
        authed().header("Idempotency-Key", key()).body(limit("BUY", "0.001", "64000.00")).post("/orders").then().statusCode(422)
                .body("reason", equalTo("VENUE_ERROR")).body("detail", containsString("MAX_NUM_ORDERS"));
    }

    @Test
    void chaseLimitFollowsTheBinanceBookByCancelReplace() {
        JsonPath o = placed("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"0.002","model":"%s",
                 "execution":{"algo":"CHASE_LIMIT","reprice_ticks":0,"max_chase_bps":"50","deadline_seconds":300}}"""
                .formatted(INSTRUMENT, model));
        assertEquals(true, o.getBoolean("post_only"));
        String binanceId = BinanceVenue.binanceId(o.getString("client_order_id"));
        assertEquals("LIMIT_MAKER", fake.order(binanceId).orElseThrow().getString("type"));
        assertEquals(0, new BigDecimal("64999").compareTo(new BigDecimal(fake.order(binanceId).orElseThrow().getString("price"))));

        fake.setLevel(SYMBOL, true, new BigDecimal("64999.50"), new BigDecimal("0.4"));

        String id = o.getString("id");
        await().atMost(WAIT).until(() -> new BigDecimal(fake.order(binanceId).orElseThrow().getString("price")).compareTo(new BigDecimal("64999.5")) == 0
                && "NEW".equals(fake.order(binanceId).orElseThrow().getString("status")));
        assertTrue(fake.requests().contains("POST /api/v3/order/cancelReplace"));
        await().atMost(WAIT).until(() -> new BigDecimal(order(id).getString("price")).compareTo(new BigDecimal("64999.5")) == 0);

        fake.trade(SYMBOL, new BigDecimal("64999.50"), new BigDecimal("0.002"), true);
        await().atMost(WAIT).until(() -> "done".equals(authed().get("/orders/" + id + "/execution").jsonPath().getString("state")));
        JsonPath report = authed().get("/orders/" + id + "/execution").then().statusCode(200).extract().jsonPath();
        assertEquals("0.002", report.getString("filled_quantity"));
        assertEquals(0, BigDecimal.ONE.compareTo(new BigDecimal(report.getString("maker_ratio"))), "all of it rested");
    }

    @Test
    void aChasesFirstOrderThatBinanceRefusesAsTakingIsPlacedAgainOnce() {
        fake.failNext(400, -2010, "Order would immediately match and take.", null);
        String key = key();
        JsonPath o = authed().header("Idempotency-Key", key).body("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"0.001","model":"%s",
                 "execution":{"algo":"CHASE_LIMIT","deadline_seconds":300}}""".formatted(INSTRUMENT, model))
                .post("/orders").then().statusCode(201).extract().jsonPath();

        assertEquals("OPEN", o.getString("status"), "the second placement rests");
        assertEquals(key + ":1", o.getString("client_order_id"));
        List<JsonObject> makers = fake.orders().stream().filter(x -> "LIMIT_MAKER".equals(x.getString("type"))
                && x.getString("clientOrderId").equals(BinanceVenue.binanceId(key + ":1"))).toList();
        assertEquals(1, makers.size());
        authed().get("/orders/" + o.getString("id") + "/execution").then().statusCode(200).body("state", equalTo("working"));
        authed().delete("/orders/" + o.getString("id")).then().statusCode(200);
    }

    @Test
    void reconciliationAgreesWithTheAccountAndCancelsAStrangersOrder() throws Exception {
        placed("""
                {"symbol":"%s","side":"BUY","type":"MARKET","quantity":"0.001","model":"%s"}""".formatted(INSTRUMENT, model));
        JsonPath resting = placed(limit("BUY", "0.001", "64000.00"));
        // Binance takes 36 characters: a longer id goes as a digest, and is still recognised as ours.
        String longId = "a-client-order-id-longer-than-binance-takes-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath digested = placed("""
                {"symbol":"%s","side":"BUY","type":"LIMIT","quantity":"0.001","price":"64001.00","model":"%s","client_order_id":"%s"}"""
                .formatted(INSTRUMENT, model, longId));
        assertTrue(fake.order(BinanceVenue.binanceId(longId)).isPresent());
        String stranger = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        placeDirectly(stranger);

        List<Map<String, Object>> found = binanceMismatches();
        assertTrue(found.stream().anyMatch(m -> "orphan_order".equals(m.get("kind")) && stranger.equals(m.get("client_order_id"))), found.toString());
        assertFalse(found.stream().anyMatch(m -> "balance".equals(m.get("kind"))), "the engine's books are the account's: " + found);
        await().atMost(WAIT).until(() -> "CANCELED".equals(fake.order(stranger).orElseThrow().getString("status")));
        assertEquals("OPEN", order(resting.getString("id")).getString("status"));
        assertEquals("OPEN", order(digested.getString("id")).getString("status"));
        assertEquals("NEW", fake.order(BinanceVenue.binanceId(longId)).orElseThrow().getString("status"), "not taken for a stranger's");

        assertEquals(List.of(), binanceMismatches(), "nothing left to settle");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> binanceMismatches() {
        List<Map<String, Object>> reports = authed().post("/reconciliation/run").then().statusCode(200).extract().jsonPath().getList("$");
        return reports.stream().filter(r -> "BINANCE".equals(r.get("venue"))).findFirst()
                .map(r -> (List<Map<String, Object>>) r.get("mismatches")).orElseThrow();
    }

    /** An order placed at Binance by someone else than the engine, signed as Binance requires. */
    private void placeDirectly(String clientOrderId) throws Exception {
        String payload = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=63000.00&newClientOrderId=" + clientOrderId
                + "&timestamp=" + System.currentTimeMillis();
        String signature = new BinanceSigner(FakeBinance.SECRET).sign(payload);
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.httpUrl() + "/api/v3/order?" + payload + "&signature=" + signature))
                .header("X-MBX-APIKEY", FakeBinance.API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }
}
