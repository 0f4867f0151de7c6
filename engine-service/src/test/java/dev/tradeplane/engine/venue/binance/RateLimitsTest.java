package dev.tradeplane.engine.venue.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private static final Instant T = Instant.parse("2026-11-22T12:00:30Z");

    @Test
    void aRequestThatWouldPassTheMinutesWeightIsNotSentUntilTheNextMinute() {
        RateLimits limits = new RateLimits();
        limits.limits(100, 10, 1000);
        limits.observe("95", null, null, T);
        assertTrue(limits.refusal(5, 0, T).isEmpty(), "95 + 5 is the limit, not past it");
        String refusal = limits.refusal(6, 0, T).orElseThrow();
        assertTrue(refusal.contains("95 of 100") && refusal.contains("retry after 30 s"), refusal);
        assertTrue(limits.refusal(6, 0, T.plusSeconds(30)).isEmpty(), "a new minute starts from nothing");
    }

    @Test
    void aLateAnswerDoesNotLowerTheCountAndAnUnreadableHeaderIsIgnored() {
        RateLimits limits = new RateLimits();
        limits.limits(100, 10, 1000);
        limits.observe("95", null, null, T);
        limits.observe("60", null, null, T.plusSeconds(1)); // sent before the one that said 95, answered after it
        assertTrue(limits.refusal(6, 0, T.plusSeconds(1)).isPresent(), "still 95 used this minute");
        limits.observe("n/a", "x", "", T.plusSeconds(2));
        assertTrue(limits.refusal(6, 0, T.plusSeconds(2)).orElseThrow().contains("95 of 100"));
    }

    @Test
    void ordersAreCountedPerTenSecondsAndPerDay() {
        RateLimits limits = new RateLimits();
        limits.limits(6000, 10, 1000);
        limits.observe("10", "10", "500", T);
        assertTrue(limits.refusal(1, 0, T).isEmpty(), "a request that places no order is not held back");
        assertTrue(limits.refusal(1, 1, T).orElseThrow().contains("10 orders in 10 s"));
        assertTrue(limits.refusal(1, 1, T.plusSeconds(10)).isEmpty());
    }

    @Test
    void retryAfterIsReadInSecondsAndAnythingElseCountsAsAMinute() {
        assertEquals(Duration.ofSeconds(7), BinanceRest.retryAfter("7"));
        assertEquals(Duration.ofMinutes(1), BinanceRest.retryAfter(null));
        assertEquals(Duration.ofMinutes(1), BinanceRest.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
    }

    @Test
    void aBackOffBinanceAskedForHoldsEveryRequest() {
        RateLimits limits = new RateLimits();
        limits.backOff(429, Duration.ofSeconds(7), T);
        assertEquals("Binance asked to slow down (429); retry after 7 s", limits.refusal(1, 0, T).orElseThrow());
        limits.backOff(418, Duration.ofSeconds(120), T.plusSeconds(1));
        assertTrue(limits.refusal(1, 0, T.plusSeconds(8)).orElseThrow().startsWith("Binance banned this IP (418)"));
        assertTrue(limits.refusal(1, 0, T.plusSeconds(121)).isEmpty());
    }

    @Test
    void aCancelPassesTheAdaptersWeightCountButNotABackOffBinanceAskedFor() {
        RateLimits limits = new RateLimits();
        limits.limits(100, 10, 1000);
        limits.observe("100", null, null, T);
        assertTrue(limits.check(1, 0, false, T).isPresent(), "the minute's weight is used up");
        assertTrue(limits.check(1, 0, true, T).isEmpty(), "a cancel only takes risk off: it goes");
        limits.backOff(429, Duration.ofSeconds(7), T);
        RateLimits.Refusal held = limits.check(1, 0, true, T).orElseThrow();
        assertEquals(Duration.ofSeconds(7), held.retryAfter(), "Binance's back-off holds cancels too (sending more risks a ban)");
    }

    @Test
    void aPlaceHeldOrARequestOutCountsUntilReleasedSoNoOtherRequestTakesIt() {
        RateLimits limits = new RateLimits();
        limits.limits(100, 10, 1000);
        limits.observe("50", "8", "500", T);
        RateLimits.Grant slot = limits.acquire(1, 1, false, T);
        assertNotNull(slot.hold(), "the 9th order of 10 may go");
        RateLimits.Grant out = limits.acquire(1, 1, false, T);
        assertNotNull(out.hold(), "the 10th, sent and not answered yet");
        RateLimits.Grant third = limits.acquire(1, 1, false, T);
        assertNull(third.hold());
        assertTrue(third.refusal().why().contains("10 orders in 10 s"), "the headers still say 8, but two places are taken");
        assertTrue(limits.check(1, 0, false, T).isEmpty(), "a request that places no order still goes");

        limits.release(slot.hold());
        limits.release(slot.hold());
        assertTrue(limits.check(1, 1, false, T).isEmpty(), "released (once): its place is free again");
        assertTrue(limits.check(2, 2, false, T).isPresent(), "but only the one");
        limits.release(out.hold());
        assertTrue(limits.check(2, 2, false, T).isEmpty());

        // Weight counts the same way, a cancel's too (it is not held back by the count, but it uses weight).
        limits.observe("90", null, null, T);
        RateLimits.Grant cancel = limits.acquire(8, 0, true, T);
        assertNotNull(cancel.hold());
        assertTrue(limits.check(5, 0, false, T).orElseThrow().why().contains("98 of 100"));
        limits.release(cancel.hold());
        assertTrue(limits.check(5, 0, false, T).isEmpty());
    }
}
