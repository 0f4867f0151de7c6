package dev.tradeplane.ops.security;

import static dev.tradeplane.ops.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.support.Jwts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each caller has its own request budget: above it, 429 with Retry-After; another caller is not affected. */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimit.class)
class RateLimitTest {

    private static final int BURST = 5;
    private static final int PER_SECOND = 1;
    private static final int REQUESTS = 20;

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tradeplane.auth.rate-limit.per-second", Integer.toString(PER_SECOND), "tradeplane.auth.rate-limit.burst",
                    Integer.toString(BURST));
        }
    }

    @Test
    void aCallerAboveItsRateGets429AndOthersAreServed() throws Exception {
        // A caller of its own warms the application up first, so the greedy caller's requests come quickly.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, as("warm-up", "read-only").get("/models").statusCode());
        }
        // Twenty requests at once: the bucket refills 1 a second, so unless they took 15 s, some find it empty.
        String token = Jwts.token("greedy", "read-only");
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            calls.add(threads.submit(() -> {
                go.await();
                return given().header("Authorization", "Bearer " + token).get("/models");
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> call : calls) {
            answers.add(call.get(60, TimeUnit.SECONDS));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        threads.shutdown();

        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        long served = statuses.stream().filter(s -> s == 200).count();
        List<Response> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(REQUESTS, served + limited.size(), "each request is served or limited: " + statuses);
        assertTrue(served >= BURST, "the burst is served: " + statuses);
        assertTrue(served <= BURST + (long) Math.ceil(seconds * PER_SECOND),
                "no more than the burst and what refilled in " + seconds + " s: " + statuses);
        assertFalse(limited.isEmpty(), "above its rate the caller is limited (" + seconds + " s): " + statuses);
        assertEquals("application/problem+json", limited.get(0).contentType());
        assertEquals("1", limited.get(0).header("Retry-After"));
        assertEquals(200, as("patient", "read-only").get("/models").statusCode(), "another caller has its own budget");
    }
}
