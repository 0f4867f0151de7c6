package dev.tradeplane.engine.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.engine.execution.ChaseDecision.Kind;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hold, re-price or fall back, on known touches. */
class ChaseDecisionTest {

    private static final BigDecimal TICK = new BigDecimal("0.01");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant DEADLINE = T0.plusSeconds(30);
    private static final BigDecimal ARRIVAL = new BigDecimal("100.00");

    private static ChaseDecision.Decision buy(String order, String bid, String ask, int ticks, String maxBps, Instant now) {
        return ChaseDecision.decide(Side.BUY, new BigDecimal(order), new BigDecimal(bid), new BigDecimal(ask), TICK, ticks, ARRIVAL,
                new BigDecimal(maxBps), DEADLINE, now);
    }

    @Test
    void aBuyHoldsWhileTheBidIsWithinTheThresholdAndFollowsItOnceItMovesFurther() {
        assertEquals(Kind.HOLD, buy("99.99", "99.99", "100.01", 2, "25", T0).kind(), "at the bid");
        assertEquals(Kind.HOLD, buy("99.99", "100.01", "100.03", 2, "25", T0).kind(), "2 ticks away: not more than the threshold");
        ChaseDecision.Decision d = buy("99.99", "100.02", "100.04", 2, "25", T0);
        assertEquals(Kind.REPRICE, d.kind());
        assertEquals(new BigDecimal("100.02"), d.price());
        assertEquals(Kind.HOLD, buy("100.02", "99.90", "99.95", 0, "25", T0).kind(), "the market came to it: it will fill, no chase down");
    }

    @Test
    void aSellFollowsTheAskDown() {
        ChaseDecision.Decision d = ChaseDecision.decide(Side.SELL, new BigDecimal("100.01"), new BigDecimal("99.95"), new BigDecimal("99.97"), TICK, 1,
                ARRIVAL, new BigDecimal("25"), DEADLINE, T0);
        assertEquals(Kind.REPRICE, d.kind());
        assertEquals(new BigDecimal("99.97"), d.price());
    }

    @Test
    void aSellChasesDownToTheMaximumBelowTheArrivalMidAndNoFurther() {
        // 99.75 is 25 bps below the arrival mid of 100: still chased; 99.74 is past it.
        ChaseDecision.Decision at = ChaseDecision.decide(Side.SELL, new BigDecimal("100.01"), new BigDecimal("99.73"), new BigDecimal("99.75"), TICK, 0,
                ARRIVAL, new BigDecimal("25"), DEADLINE, T0);
        assertEquals(Kind.REPRICE, at.kind());
        assertEquals(new BigDecimal("99.75"), at.price());
        assertEquals(Kind.FALL_BACK, ChaseDecision.decide(Side.SELL, new BigDecimal("99.75"), new BigDecimal("99.72"), new BigDecimal("99.74"), TICK, 0,
                ARRIVAL, new BigDecimal("25"), DEADLINE, T0).kind());
        assertEquals(Kind.HOLD, ChaseDecision.decide(Side.SELL, new BigDecimal("99.75"), new BigDecimal("99.80"), new BigDecimal("99.82"), TICK, 0,
                ARRIVAL, new BigDecimal("25"), DEADLINE, T0).kind(), "the ask came back up to it: no chase up");
    }

    @Test
    void pastTheMaximumChaseOrTheDeadlineItFallsBack() {
        // 100.26 is 26 bps above the arrival mid of 100: past 25 bps.
        assertEquals(Kind.FALL_BACK, buy("99.99", "100.26", "100.28", 1, "25", T0).kind());
        assertEquals(Kind.REPRICE, buy("99.99", "100.25", "100.28", 1, "25", T0).kind(), "exactly at the limit still chases");
        assertEquals(Kind.FALL_BACK, buy("99.99", "99.99", "100.01", 1, "25", DEADLINE).kind(), "the deadline, even at the touch");
        assertEquals(Kind.HOLD, buy("99.99", "99.99", "100.01", 1, "25", DEADLINE.minusMillis(1)).kind());
    }
}
