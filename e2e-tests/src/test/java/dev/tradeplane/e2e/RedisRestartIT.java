package dev.tradeplane.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.EmbeddedRedisServer;
import dev.tradeplane.local.Ports;
import dev.tradeplane.local.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 2: Redis (a Redis of the test's own, with its append-only file) is restarted during a load. Events
 * published before, during and after the outage all reach OPS, each exactly once.
 */
class RedisRestartIT {

    private static final int SIGNALS = 600;
    private static Path dir;
    private static int port;
    private static EmbeddedRedisServer redis;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tradeplane-redis-fault");
        port = Ports.freePort();
        redis = EmbeddedRedisServer.start(dir, port);
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_faults"), redis.endpoint(), FaultEnv.FAST).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void eventsBeforeDuringAndAfterARedisRestartReachOpsOnceEach() throws Exception {
        String prefix = "redis-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SIGNALS; i++) {
            ids.add(prefix + i);
        }
        SignalLoad load = new SignalLoad(stack.opsUrl(), Stack.TOKEN).holdAfter(SIGNALS / 4);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                load.run(ids, "ETHUSDT.PAPER", "0.01", 8, Duration.ofMinutes(3));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Ledger ledger = new Ledger(stack);
        await().atMost(Duration.ofMinutes(1)).until(() -> load.completed.get() >= SIGNALS / 4);
        int before = ledger.opsEventRows();
        int completedBefore = load.completed.get();
        redis.stop();
        long outageStarted = System.nanoTime();
        load.release();
        // Down for at least 3 s, and until signals were seen to complete without Redis (bounded).
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(60)).until(() -> load.completed.get() > completedBefore);
        int completedDuringOutage = load.completed.get() - completedBefore;
        long outageSeconds = Duration.ofNanos(System.nanoTime() - outageStarted).toSeconds();
        redis = EmbeddedRedisServer.start(dir, port);
        running.get();
        assertEquals(SIGNALS, load.acknowledged(), "Redis is not on the order path: every signal was placed");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ledger.opsEventIds().containsAll(ledger.engineEventIds()));
        Set<String> engineEvents = ledger.engineEventIds();
        Set<String> opsEvents = ledger.opsEventIds();
        Set<String> lost = new HashSet<>(engineEvents);
        lost.removeAll(opsEvents);
        assertEquals(Set.of(), lost, "no engine event lost");
        assertEquals(opsEvents.size(), ledger.opsEventRows(), "no event stored twice");
        assertEquals(ledger.engineFillIds(), ledger.opsFillIds());
        assertTrue(completedDuringOutage > 0, "signals kept flowing while Redis was down");

        Figures.record("redis-restart", "signals=" + SIGNALS + ", faults=1 (Redis stopped for " + outageSeconds + " s and restarted), events at OPS before="
                + before + ", engine events=" + engineEvents.size() + ", reached OPS=" + engineEvents.stream().filter(opsEvents::contains).count()
                + ", lost=" + lost.size() + ", doubled=" + (ledger.opsEventRows() - opsEvents.size()) + ", 500s=" + load.count(500));
    }
}
