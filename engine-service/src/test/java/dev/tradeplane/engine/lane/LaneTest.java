package dev.tradeplane.engine.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LaneTest {

    @Test
    void tasksRunOneAtATimeInSubmissionOrderEvenWhenAsynchronous() throws Exception {
        Lanes<List<Integer>> lanes = new Lanes<>(k -> new ArrayList<>());
        Lane<List<Integer>> lane = lanes.lane("BTCUSDT.PAPER");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean inside = new AtomicBoolean();
        List<Uni<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int n = i;
            results.add(lane.submit(state -> {
                if (!inside.compareAndSet(false, true)) {
                    overlap.set(true);
                }
                return Uni.createFrom().completionStage(CompletableFuture.supplyAsync(() -> {
                    sleepMicros(ThreadLocalRandom.current().nextInt(200));
                    state.add(n);
                    inside.set(false);
                    return n;
                }, pool));
            }));
        }
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).await().atMost(Duration.ofSeconds(10)));
        }
        pool.shutdown();
        assertFalse(overlap.get(), "two tasks of one lane overlapped");
        List<Integer> state = lane.submit(s -> Uni.createFrom().item(List.copyOf(s))).await().indefinitely();
        for (int i = 0; i < 500; i++) {
            assertEquals(i, state.get(i));
        }
        // A task's caller can see its result before the lane has counted the task out (the count drops on the
        // thread that completed the task, after the result's own callbacks), so the lane empties soon after, not at once.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lane.depth() == 0);
    }

    @Test
    void aLongQueueOfSynchronousTasksDoesNotRecurse() {
        Lane<int[]> lane = new Lanes<>(k -> new int[1]).lane("x");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        // Hold the lane so a long queue builds up behind the first task, then release it.
        lane.submit(s -> Uni.createFrom().completionStage(gate));
        Uni<Integer> last = null;
        for (int i = 0; i < 200_000; i++) {
            last = lane.submit(s -> Uni.createFrom().item(++s[0]));
        }
        gate.complete(null);
        assertEquals(200_000, last.await().atMost(Duration.ofSeconds(30)));
    }

    @Test
    void aFailingTaskDoesNotBlockTheLane() {
        Lane<int[]> lane = new Lanes<>(k -> new int[1]).lane("x");
        Uni<Integer> failed = lane.submit(s -> {
            throw new IllegalStateException("boom");
        });
        Uni<Integer> next = lane.submit(s -> Uni.createFrom().item(42));
        assertEquals(42, next.await().atMost(Duration.ofSeconds(5)));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> failed.await().atMost(Duration.ofSeconds(5)));
        assertEquals("boom", e.getMessage());
    }

    private static void sleepMicros(int micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
