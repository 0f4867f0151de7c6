package dev.tradeplane.engine.venue.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.fakebinance.FakeBinance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake checks what Binance checks, so the adapter's tests against it prove its signing and timing. */
class FakeBinanceTest {

    private static FakeBinance fake;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fake = FakeBinance.start();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static HttpResponse<String> signedGet(String payload, String signature, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.httpUrl() + "/api/v3/account?" + payload + "&signature=" + signature))
                .header("X-MBX-APIKEY", key).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int code(HttpResponse<String> answer) {
        return new JsonObject(answer.body()).getInteger("code");
    }

    @Test
    void theServerTimeNeedsNeitherKeyNorSignature() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(fake.httpUrl() + "/api/v3/time")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        long serverTime = new JsonObject(answer.body()).getLong("serverTime");
        assertTrue(Math.abs(serverTime - System.currentTimeMillis()) < 5_000, answer.body());
    }

    @Test
    void aCorrectlySignedRequestIsAnswered() throws Exception {
        String payload = "recvWindow=5000&timestamp=" + System.currentTimeMillis();
        HttpResponse<String> answer = signedGet(payload, new BinanceSigner(FakeBinance.SECRET).sign(payload), FakeBinance.API_KEY);
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.headers().firstValue("X-MBX-USED-WEIGHT-1M").isPresent());
    }

    @Test
    void aWrongSignatureAStaleTimestampOrAnUnknownKeyIsRefusedAsBinanceDoes() throws Exception {
        String payload = "recvWindow=5000&timestamp=" + System.currentTimeMillis();
        HttpResponse<String> badSignature = signedGet(payload, new BinanceSigner("another-secret").sign(payload), FakeBinance.API_KEY);
        assertEquals(400, badSignature.statusCode());
        assertEquals(-1022, code(badSignature));

        String stale = "recvWindow=5000&timestamp=" + (System.currentTimeMillis() - 6_000);
        HttpResponse<String> late = signedGet(stale, new BinanceSigner(FakeBinance.SECRET).sign(stale), FakeBinance.API_KEY);
        assertEquals(-1021, code(late));

        HttpResponse<String> unknownKey = signedGet(payload, new BinanceSigner(FakeBinance.SECRET).sign(payload), "not-our-key");
        assertEquals(401, unknownKey.statusCode());
        assertEquals(-2015, code(unknownKey));
    }

    @Test
    void aLevelSetIsSentAsADepthDiffAndASkippedSequenceShowsAsAGap() throws Exception {
        BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(fake.wsUrl() + "/stream?streams=btcusdt@depth@100ms"), collector(messages))
                .get(5, TimeUnit.SECONDS);
        try {
            long before = fake.lastUpdateId("BTCUSDT");
            fake.setLevel("BTCUSDT", true, new BigDecimal("50000.00"), new BigDecimal("0.5"));
            JsonObject first = next(messages);
            assertEquals("btcusdt@depth@100ms", first.getString("stream"));
            JsonObject diff = first.getJsonObject("data");
            assertEquals("depthUpdate", diff.getString("e"));
            assertEquals("BTCUSDT", diff.getString("s"));
            assertEquals(before + 1, diff.getLong("U"));
            assertEquals(before + 1, diff.getLong("u"));
            assertEquals(new JsonArray().add(new JsonArray().add("50000.00").add("0.5")), diff.getJsonArray("b"));
            assertTrue(diff.getJsonArray("a").isEmpty());

            fake.skipSequence("BTCUSDT", 3);
            fake.setLevel("BTCUSDT", false, new BigDecimal("50001.00"), new BigDecimal("1.2"));
            JsonObject gap = next(messages).getJsonObject("data");
            assertEquals(diff.getLong("u") + 4, gap.getLong("U"), "three ids skipped, then this diff's own");
            assertEquals(gap.getLong("U"), gap.getLong("u"));
            assertEquals(fake.lastUpdateId("BTCUSDT"), gap.getLong("u"));
        } finally {
            ws.abort();
        }
    }

    @Test
    void aUserDataSubscriptionOnTheWebSocketApiIsCheckedLikeASignedRequestAndEndsWithAnEvent() throws Exception {
        BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(fake.wsApiUrl()), collector(messages)).get(5, TimeUnit.SECONDS);
        try {
            long now = System.currentTimeMillis();
            String payload = "apiKey=" + FakeBinance.API_KEY + "&recvWindow=5000&timestamp=" + now;
            ws.sendText(subscription("bad", now, new BinanceSigner("another-secret").sign(payload)), true).get(5, TimeUnit.SECONDS);
            JsonObject refused = next(messages);
            assertEquals("bad", refused.getString("id"));
            assertEquals(400, refused.getInteger("status"));
            assertEquals(-1022, refused.getJsonObject("error").getInteger("code"));

            int before = fake.subscriptions();
            ws.sendText(subscription("good", now, new BinanceSigner(FakeBinance.SECRET).sign(payload)), true).get(5, TimeUnit.SECONDS);
            JsonObject accepted = next(messages);
            assertEquals("good", accepted.getString("id"));
            assertEquals(200, accepted.getInteger("status"), accepted.encode());
            assertEquals(0, accepted.getJsonObject("result").getInteger("subscriptionId"));
            assertEquals(before + 1, fake.subscriptions());

            fake.terminateUserStreams();
            JsonObject ended = next(messages);
            assertEquals(0, ended.getInteger("subscriptionId"));
            assertEquals("eventStreamTerminated", ended.getJsonObject("event").getString("e"));
        } finally {
            ws.abort();
        }
    }

    private static String subscription(String id, long timestamp, String signature) {
        return new JsonObject().put("id", id).put("method", "userDataStream.subscribe.signature").put("params", new JsonObject()
                .put("apiKey", FakeBinance.API_KEY).put("recvWindow", 5000).put("timestamp", timestamp).put("signature", signature)).encode();
    }

    private static JsonObject next(BlockingQueue<JsonObject> messages) throws InterruptedException {
        JsonObject message = messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(message, "no message on the stream");
        return message;
    }

    /** Puts each whole text message, parsed, on the queue. */
    private static WebSocket.Listener collector(BlockingQueue<JsonObject> messages) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(new JsonObject(partial.toString()));
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
    }
}
