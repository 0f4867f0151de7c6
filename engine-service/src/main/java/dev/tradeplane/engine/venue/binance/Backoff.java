package dev.tradeplane.engine.venue.binance;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between reconnection attempts: {@code min}, doubled after each failure up to {@code max}, with up to 20%
 * taken off at random so that many clients do not come back at the same instant. Reset by a connection that worked:
 * one the caller says did ({@link #reset()}), or one that stayed up for {@link #STABLE_MILLIS} ({@link #opened},
 * {@link #afterLoss}); a connection that is accepted and dropped again at once does not reset it, so a flapping
 * server is not reconnected to (and its book snapshots fetched) every {@code min}.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;
    private long lastAtOnceMillis = Long.MIN_VALUE / 2;
    private long openedAtMillis = -1;

    /** How long a connection must stay up to count as one that worked. */
    public static final long STABLE_MILLIS = 30_000;

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

    /**
     * The wait before a connection the server announced it will close is replaced: none, unless that already happened
     * in the last minute (a server announcing on every connection would otherwise be reconnected to in a tight loop):
     * then {@link #next()}.
     */
    public synchronized Duration announced(long nowMillis) {
        if (nowMillis - lastAtOnceMillis < 60_000) {
            return next();
        }
        lastAtOnceMillis = nowMillis;
        return Duration.ZERO;
    }

    /** A connection was opened at {@code nowMillis}. */
    public synchronized void opened(long nowMillis) {
        openedAtMillis = nowMillis;
    }

    /**
     * The wait after the connection opened last is lost at {@code nowMillis}: counted afresh from {@code min} when it
     * had stayed up for {@link #STABLE_MILLIS}, else one more failure.
     */
    public synchronized Duration afterLoss(long nowMillis) {
        if (openedAtMillis >= 0 && nowMillis - openedAtMillis >= STABLE_MILLIS) {
            failures = 0;
        }
        openedAtMillis = -1;
        return next();
    }

    public synchronized void reset() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
