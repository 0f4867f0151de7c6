package dev.tradeplane.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 5: duplicates arriving at once. 50 copies of one signal sent in parallel make one order and one answer;
 * 50 retries of an engine order whose first request timed out (the venue answers after 1 s) make one order, and every
 * retry that gets an answer gets the same one.
 */
class ConcurrencyIT {

    private static final int COPIES = 50;
    private static Stack stack;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>(FaultEnv.FAST);
        env.put("TRADEPLANE_PAPER_LATENCY", "1s");
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_faults"), TestInfrastructure.redis(), env).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fiftyCopiesOfASignalInParallelMakeOneOrder() throws Exception {
        String signalId = "twins-" + UUID.randomUUID();
        String body = "{\"signal_id\":\"" + signalId + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\"}";
        List<HttpResponse<String>> answers = all(COPIES, () -> send(post(stack.opsUrl() + "/strategy/signal", body, null)));

        Set<String> orderIds = new HashSet<>();
        for (HttpResponse<String> a : answers) {
            assertEquals(202, a.statusCode(), "each copy gets the signal's answer: " + a.body());
            orderIds.add(new JsonPath(a.body()).getString("order_id"));
        }
        assertEquals(1, orderIds.size(), "one order id in every answer: " + orderIds);
        Ledger ledger = new Ledger(stack);
        assertEquals(Map.of("ops-" + signalId, 1), ledger.ordersPerClientId("ops-" + signalId), "one order at the engine");
        Figures.record("concurrency-signals", "copies=" + COPIES + " of one signal in parallel, answers 202=" + answers.size()
                + ", distinct order ids=" + orderIds.size() + ", orders at the engine=1, doubled=0");
    }

    @Test
    void fiftyRetriesOfATimedOutOrderMakeOneOrderAndOneAnswer() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        String body = "{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.002\",\"model\":\"retry-model\"}";
        boolean timedOut = false;
        try {
            send(post(stack.engineUrl() + "/orders", body, key).timeout(Duration.ofMillis(200)));
        } catch (HttpTimeoutException e) {
            timedOut = true;
        }
        assertTrue(timedOut, "the first request timed out on the client (the venue takes 1 s)");

        List<HttpResponse<String>> retries = all(COPIES, () -> send(post(stack.engineUrl() + "/orders", body, key)));
        Set<String> answered = new HashSet<>();
        int inFlight = 0;
        for (HttpResponse<String> r : retries) {
            if (r.statusCode() == 409) {
                assertEquals("https://tradeplane.dev/problems/request-in-flight", new JsonPath(r.body()).getString("type"), r.body());
                inFlight++;
            } else {
                assertEquals(201, r.statusCode(), r.body());
                answered.add(r.body());
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> send(post(stack.engineUrl() + "/orders", body, key)).statusCode() == 201);
        HttpResponse<String> last = send(post(stack.engineUrl() + "/orders", body, key));
        answered.add(last.body());
        assertEquals(1, answered.size(), "every answer is the same answer: " + answered);
        JsonPath order = new JsonPath(last.body());
        assertEquals("FILLED", order.getString("status"));
        assertEquals("true", last.headers().firstValue("Idempotent-Replayed").orElse(""), "a retry is marked as a replay");

        Ledger ledger = new Ledger(stack);
        assertEquals(Map.of(order.getString("client_order_id"), 1), ledger.ordersPerClientId(order.getString("client_order_id")),
                "one order at the engine");
        Figures.record("concurrency-retries", "1 request timed out + " + COPIES + " concurrent retries of one order key, 409 in flight="
                + inFlight + ", 201=" + (COPIES - inFlight) + ", distinct answers=" + answered.size() + ", orders=1, doubled=0");
    }

    private HttpRequest.Builder post(String url, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("X-OPS-TOKEN", Stack.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return key == null ? b : b.header("Idempotency-Key", key);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code n} copies of {@code call} released at the same moment; their results in order. */
    private static <T> List<T> all(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }
}
