package dev.tradeplane.engine.order;

import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * When the engine's stops fire. A SELL stop watches the bid (it protects a long: it fires when what it could sell at
 * falls to the stop); a BUY stop watches the ask. A trailing stop keeps the best price seen since it was armed (the
 * highest bid for a SELL, the lowest ask for a BUY) and stands {@code trailing_offset} (or {@code trailing_offset_bps})
 * behind it, rounded to the tick away from the market.
 */
public final class StopTriggers {

    /** What a quote did to a stop. */
    public enum Outcome {
        /** Nothing changed. */
        NONE,
        /** A trailing stop's reference and trigger price moved; persist them. */
        MOVED,
        /** The stop fires now. */
        TRIGGERED
    }

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private StopTriggers() {}

    /** Sets a trailing stop's first reference from the market when it is armed. */
    public static void arm(WorkingOrder order, TopOfBook top, BigDecimal tickSize) {
        if (order.type() == OrderType.TRAILING_STOP && top != null) {
            BigDecimal reference = watched(order.side(), top);
            order.trail(reference, trailTrigger(order, reference, tickSize));
        }
    }

    /** True when a stop at its trigger price would fire at once in this market. */
    public static boolean wouldTrigger(Side side, BigDecimal triggerPrice, TopOfBook top) {
        BigDecimal watched = watched(side, top);
        return side == Side.BUY ? watched.compareTo(triggerPrice) >= 0 : watched.compareTo(triggerPrice) <= 0;
    }

    public static Outcome onQuote(WorkingOrder order, TopOfBook top, BigDecimal tickSize) {
        Outcome outcome = Outcome.NONE;
        if (order.type() == OrderType.TRAILING_STOP) {
            BigDecimal watched = watched(order.side(), top);
            BigDecimal reference = order.trailReference();
            boolean better = reference == null
                    || (order.side() == Side.SELL ? watched.compareTo(reference) > 0 : watched.compareTo(reference) < 0);
            if (better) {
                order.trail(watched, trailTrigger(order, watched, tickSize));
                outcome = Outcome.MOVED;
            }
        }
        if (order.triggerPrice() != null && wouldTrigger(order.side(), order.triggerPrice(), top)) {
            return Outcome.TRIGGERED;
        }
        return outcome;
    }

    private static BigDecimal watched(Side side, TopOfBook top) {
        return side == Side.SELL ? top.bid() : top.ask();
    }

    /** The trailing trigger price for a reference: behind it by the offset, on the tick grid, away from the market. */
    static BigDecimal trailTrigger(WorkingOrder order, BigDecimal reference, BigDecimal tickSize) {
        BigDecimal offset = order.spec().trailingOffset() != null ? order.spec().trailingOffset()
                : reference.multiply(order.spec().trailingOffsetBps()).divide(TEN_THOUSAND, 18, RoundingMode.HALF_EVEN);
        if (order.side() == Side.SELL) {
            return Steps.floor(reference.subtract(offset), tickSize);
        }
        BigDecimal raw = reference.add(offset);
        BigDecimal floor = Steps.floor(raw, tickSize);
        return floor.compareTo(raw) == 0 ? floor : floor.add(tickSize);
    }
}
