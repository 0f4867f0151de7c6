package dev.tradeplane.ops.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A token bucket of {@code perMinute} messages, refilled evenly: says how long to wait before the next send. */
final class RateGate {

    private final int capacity;
    private final double perNano;
    private final Clock clock;
    private double tokens;
    private Instant last;

    RateGate(int perMinute, Clock clock) {
        this.capacity = Math.max(1, perMinute);
        this.perNano = this.capacity / 60e9;
        this.clock = clock;
        this.tokens = capacity;
        this.last = clock.instant();
    }

    /** Takes a token and returns zero, or returns how long until one is there (taking nothing). */
    synchronized Duration take() {
        Instant now = clock.instant();
        tokens = Math.min(capacity, tokens + Duration.between(last, now).toNanos() * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
    }
}
