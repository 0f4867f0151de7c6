package dev.tradeplane.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per caller: {@code per-second} requests sustained, {@code burst} at once. */
@ApplicationScoped
public class CallerRateLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAtNanos = now;
        }
    }

    private final int perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public CallerRateLimiter(AuthConfig config) {
        this.perSecond = config.rateLimit().perSecond();
        this.burst = Math.max(config.rateLimit().burst(), 1);
    }

    /** Takes one request from the caller's bucket; false when it is empty. */
    public boolean tryAcquire(String caller) {
        if (perSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        Bucket b = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
        synchronized (b) {
            double elapsed = (now - b.refilledAtNanos) / 1e9;
            b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
            b.refilledAtNanos = now;
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    public int perSecond() {
        return perSecond;
    }
}
