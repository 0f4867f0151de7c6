package dev.tradeplane.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends signals the way a careful strategy would: each signal is retried with the same signal_id until it gets a
 * final answer (202, or a 4xx), whatever happens in between (503s, refused connections, timeouts). Records every
 * status it saw, so a test can say no answer was a 500, and which signals were acknowledged.
 */
final class SignalLoad {

    /** The final answer to each signal id; 0 when it never got one before the deadline. */
    final Map<String, Integer> finalStatus = new ConcurrentHashMap<>();
    /** How many times each status (or -1 for a connection failure) was seen, over all attempts. */
    final Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
    final AtomicInteger completed = new AtomicInteger();

    private final String opsUrl;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile int holdAfter = Integer.MAX_VALUE;

    SignalLoad(String opsUrl, String token) {
        this.opsUrl = opsUrl;
        this.token = token;
    }

    /**
     * Holds every signal from the {@code n}th on until {@link #release()}: a fault test sends the first part, brings the
     * fault about, then releases the rest, so some signals are certain to meet the fault however fast the machine is.
     */
    SignalLoad holdAfter(int n) {
        holdAfter = n;
        return this;
    }

    void release() {
        gate.countDown();
    }

    /** Sends {@code ids} with {@code concurrency} in flight; returns when each has a final answer or the deadline passed. */
    void run(List<String> ids, String symbol, int concurrency, Duration deadline) throws Exception {
        run(ids, symbol, "0.001", concurrency, deadline);
    }

    void run(List<String> ids, String symbol, String quantity, int concurrency, Duration deadline) throws Exception {
        Instant until = Instant.now().plus(deadline);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String side = i % 2 == 0 ? "BUY" : "SELL";
            boolean held = i >= holdAfter;
            futures.add(pool.submit(() -> {
                if (held) {
                    awaitRelease(until);
                }
                send(id, symbol, side, quantity, until);
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private void send(String id, String symbol, String side, String quantity, Instant until) {
        String body = "{\"signal_id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"side\":\"" + side + "\",\"quantity\":\"" + quantity + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(opsUrl + "/strategy/signal")).timeout(Duration.ofSeconds(20))
                .header("X-OPS-TOKEN", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (Instant.now().isBefore(until)) {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                status = -1;
            }
            seen.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status == 202 || status >= 400 && status < 500 && status != 409 && status != 429) {
                finalStatus.put(id, status);
                completed.incrementAndGet();
                return;
            }
            sleep(200);
        }
        finalStatus.put(id, 0);
    }

    private void awaitRelease(Instant until) {
        try {
            gate.await(Math.max(0, Duration.between(Instant.now(), until).toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int count(int status) {
        AtomicInteger n = seen.get(status);
        return n == null ? 0 : n.get();
    }

    long acknowledged() {
        return finalStatus.values().stream().filter(s -> s == 202).count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
