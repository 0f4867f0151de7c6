package dev.tradeplane.engine.venue.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.fakebinance.FakeBinance;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
