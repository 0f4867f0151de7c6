package dev.tradeplane.engine.venue.binance;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between reconnection attempts: {@code min}, doubled after each failure up to {@code max}, with up to 20%
 * taken off at random so that many clients do not come back at the same instant. Reset by a connection that worked.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    public Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    public synchronized Duration next() {
        long base = min.toMillis() << Math.min(failures, 20);
        long capped = Math.min(base, max.toMillis());
        failures++;
        long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, capped - jitter));
    }

    public synchronized void reset() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
