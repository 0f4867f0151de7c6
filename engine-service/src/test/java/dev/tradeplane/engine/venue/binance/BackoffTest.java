package dev.tradeplane.engine.venue.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitsDoubleUpToTheMaximumWithSomeTakenOffAndAWorkingConnectionResetsThem() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long first = backoff.next().toMillis();
        long second = backoff.next().toMillis();
        assertTrue(first >= 80 && first <= 100, "min less up to 20%: " + first);
        assertTrue(second >= 160 && second <= 200, "doubled: " + second);
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        long capped = backoff.next().toMillis();
        assertTrue(capped >= 800 && capped <= 1000, "capped: " + capped);
        backoff.reset();
        assertTrue(backoff.next().toMillis() <= 100);
    }

    @Test
    void anAnnouncedCloseIsFollowedAtOnceButNotTwiceInAMinute() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertEquals(Duration.ZERO, backoff.announced(1_000_000));
        assertTrue(backoff.announced(1_030_000).toMillis() >= 80, "a second announcement within the minute waits as a failure does");
        assertEquals(Duration.ZERO, backoff.announced(1_100_000), "a minute after the last immediate one");
    }

    @Test
    void aConnectionDroppedSoonAfterItOpenedCountsAsAFailureAndOneThatStayedUpStartsAfresh() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(10_000));
        backoff.next();
        backoff.next();
        backoff.opened(1_000_000);
        long flapped = backoff.afterLoss(1_002_000).toMillis();
        assertTrue(flapped >= 320 && flapped <= 400, "up 2 s: a third failure, 400 ms less jitter: " + flapped);
        backoff.opened(1_010_000);
        long stable = backoff.afterLoss(1_010_000 + Backoff.STABLE_MILLIS).toMillis();
        assertTrue(stable >= 80 && stable <= 100, "up 30 s: from the minimum again: " + stable);
        assertTrue(backoff.afterLoss(1_100_000).toMillis() >= 160, "an attempt that never opened is a failure");
    }
}
