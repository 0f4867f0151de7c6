package dev.tradeplane.engine.risk;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Recent venue calls (success and answer time) and database commit failures, for the circuit breakers. */
@Singleton
public class VenueHealth {

    /** Calls in the window: how many, how many failed, the 90th percentile answer time. */
    public record Window(int calls, int failures, long p90Millis) {
        public double errorRate() {
            return calls == 0 ? 0 : (double) failures / calls;
        }
    }

    private record Call(long atMillis, boolean ok, long millis) {}

    private final Map<String, Deque<Call>> calls = new ConcurrentHashMap<>();
    private final Deque<Long> databaseFailures = new ArrayDeque<>();
    private final Clock clock;

    public VenueHealth(Clock clock) {
        this.clock = clock;
    }

    public void record(String venue, boolean ok, long millis) {
        Deque<Call> deque = calls.computeIfAbsent(venue, v -> new ArrayDeque<>());
        synchronized (deque) {
            deque.addLast(new Call(clock.millis(), ok, millis));
            while (deque.size() > 10_000) {
                deque.pollFirst();
            }
        }
    }

    public void databaseFailure() {
        synchronized (databaseFailures) {
            databaseFailures.addLast(clock.millis());
        }
    }

    /** Forgets the venue's calls (its half-open breaker closed: the window starts afresh). */
    public void clear(String venue) {
        Deque<Call> deque = calls.get(venue);
        if (deque != null) {
            synchronized (deque) {
                deque.clear();
            }
        }
    }

    /** Forgets the failed commits (the database breaker closed). */
    public void clearDatabase() {
        synchronized (databaseFailures) {
            databaseFailures.clear();
        }
    }

    public Window window(String venue, Duration length) {
        Deque<Call> deque = calls.get(venue);
        if (deque == null) {
            return new Window(0, 0, 0);
        }
        long from = clock.millis() - length.toMillis();
        List<Long> times = new ArrayList<>();
        int failures = 0;
        synchronized (deque) {
            while (!deque.isEmpty() && deque.peekFirst().atMillis() < from) {
                deque.pollFirst();
            }
            for (Call c : deque) {
                times.add(c.millis());
                if (!c.ok()) {
                    failures++;
                }
            }
        }
        times.sort(null);
        long p90 = times.isEmpty() ? 0 : times.get(Math.min(times.size() - 1, (int) Math.ceil(times.size() * 0.9) - 1));
        return new Window(times.size(), failures, p90);
    }

    public int databaseFailures(Duration length) {
        long from = clock.millis() - length.toMillis();
        synchronized (databaseFailures) {
            while (!databaseFailures.isEmpty() && databaseFailures.peekFirst() < from) {
                databaseFailures.pollFirst();
            }
            return databaseFailures.size();
        }
    }
}
