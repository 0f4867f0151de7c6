package dev.tradeplane.ops.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deduplication by key and window, and the per-minute rate. */
class AlertThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void repeatsWithinTheWindowAreCountedAndSummarizedWhenItEnds() {
        AlertThrottle t = new AlertThrottle(Duration.ofMinutes(5));
        assertTrue(t.offer("a", "first", T0));
        assertFalse(t.offer("a", "second", T0.plusSeconds(10)));
        assertFalse(t.offer("a", "third", T0.plusSeconds(299)));
        assertTrue(t.offer("b", "other key", T0.plusSeconds(20)));
        assertEquals(List.of(), t.expire(T0.plusSeconds(299)));
        assertEquals(List.of("third\n(repeated 2 more times in 5 min)"), t.expire(T0.plusSeconds(300)), "b had no repeats: no summary");
        assertTrue(t.offer("a", "again", T0.plusSeconds(301)), "a new window");
        assertEquals(List.of(), t.expire(T0.plusSeconds(601)), "no repeats: nothing");
    }

    @Test
    void theGateLetsPerMinuteThroughAtOnceThenOneEveryInterval() {
        MutableClock clock = new MutableClock();
        RateGate gate = new RateGate(6, clock);
        for (int i = 0; i < 6; i++) {
            assertEquals(Duration.ZERO, gate.take());
        }
        Duration wait = gate.take();
        assertTrue(wait.compareTo(Duration.ofSeconds(9)) > 0 && wait.compareTo(Duration.ofSeconds(10)) <= 0, wait.toString());
        clock.now = clock.now.plusSeconds(10);
        assertEquals(Duration.ZERO, gate.take());
        assertFalse(gate.take().isZero());
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
