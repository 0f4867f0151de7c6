package dev.tradeplane.engine.execution;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * What a chasing order does on a new touch: a pure function, so it can be tested and benchmarked alone.
 * <ul>
 *   <li>past the deadline: fall back;</li>
 *   <li>the best price of its side moved away from the order's price by more than {@code repriceTicks} ticks: re-price
 *       to it, unless that is further than {@code maxChaseBps} from the mid at arrival, then fall back;</li>
 *   <li>otherwise hold (also when the market moved towards the order: it is at or through the touch and will fill).</li>
 * </ul>
 */
public final class ChaseDecision {

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    /** What to do. {@code price} is set for {@link Kind#REPRICE}. */
    public record Decision(Kind kind, BigDecimal price) {
        static final Decision HOLD = new Decision(Kind.HOLD, null);
        static final Decision FALL_BACK = new Decision(Kind.FALL_BACK, null);
    }

    public enum Kind { HOLD, REPRICE, FALL_BACK }

    private ChaseDecision() {}

    public static Decision decide(Side side, BigDecimal orderPrice, BigDecimal bid, BigDecimal ask, BigDecimal tick, int repriceTicks,
                                  BigDecimal arrivalMid, BigDecimal maxChaseBps, Instant deadline, Instant now) {
        if (!now.isBefore(deadline)) {
            return Decision.FALL_BACK;
        }
        BigDecimal best = side == Side.BUY ? bid : ask;
        // Positive when the market moved away from the order (a higher bid for a buy, a lower ask for a sell).
        BigDecimal away = side == Side.BUY ? best.subtract(orderPrice) : orderPrice.subtract(best);
        if (away.compareTo(tick.multiply(BigDecimal.valueOf(repriceTicks))) <= 0) {
            return Decision.HOLD;
        }
        if (beyondMaxChase(side, best, arrivalMid, maxChaseBps)) {
            return Decision.FALL_BACK;
        }
        return new Decision(Kind.REPRICE, best);
    }

    /** True when a price is further than {@code maxChaseBps} from the arrival mid, in the direction the chase pays. */
    public static boolean beyondMaxChase(Side side, BigDecimal price, BigDecimal arrivalMid, BigDecimal maxChaseBps) {
        BigDecimal chased = (side == Side.BUY ? price.subtract(arrivalMid) : arrivalMid.subtract(price))
                .multiply(TEN_THOUSAND).divide(arrivalMid, 6, RoundingMode.HALF_EVEN);
        return chased.compareTo(maxChaseBps) > 0;
    }
}
