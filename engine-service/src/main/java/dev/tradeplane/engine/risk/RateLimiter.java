package dev.tradeplane.engine.risk;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per scope ({@code model:m1}, {@code venue:PAPER}): a bucket holds up to {@code burst} tokens and
 * refills at {@code rate} per second; each order takes one. Updated by atomic replace, so concurrent orders never
 * take more tokens than there are.
 */
@Singleton
public class RateLimiter {

    private record Bucket(double tokens, long atMillis) {}

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes a token from the scope's bucket; false when it is empty. No limit (null rate) always passes. */
    public boolean tryAcquire(String scope, BigDecimal ratePerSecond, Integer burst) {
        if (ratePerSecond == null || burst == null) {
            return true;
        }
        long now = clock.millis();
        double rate = ratePerSecond.doubleValue();
        boolean[] taken = new boolean[1];
        buckets.compute(scope, (k, b) -> {
            double tokens = b == null ? burst : Math.min(burst, b.tokens() + rate * Math.max(0, now - b.atMillis()) / 1000.0);
            if (tokens >= 1) {
                taken[0] = true;
                return new Bucket(tokens - 1, now);
            }
            return new Bucket(tokens, now);
        });
        return taken[0];
    }
}
