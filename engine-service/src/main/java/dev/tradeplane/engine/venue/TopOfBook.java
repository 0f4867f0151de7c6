package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Best bid and ask of one symbol at a venue. {@code time}: when the market was so, as the venue says (a lagging
 * stream makes it older than its arrival); its age is what the stale-data breaker and {@code age_ms} judge.
 * {@code arrived}: when the update that made it reached the engine, from which reactions to it are timed.
 */
public record TopOfBook(BigDecimal bid, BigDecimal ask, Instant time, Instant arrived) {

    /** A touch the venue reports as it happens: its time is when it arrived. */
    public TopOfBook(BigDecimal bid, BigDecimal ask, Instant time) {
        this(bid, ask, time, time);
    }

    /**
     * Halfway between bid and ask, exact: one decimal more than the finer of the two prices (never fewer than one),
     * whatever scale they come in ({@code 2E+3} from a venue that strips zeros is 2000, not a price in thousands).
     */
    public BigDecimal mid() {
        int scale = Math.max(0, Math.max(bid.scale(), ask.scale())) + 1;
        return bid.add(ask).divide(BigDecimal.TWO, scale, RoundingMode.UNNECESSARY).stripTrailingZeros();
    }

    /**
     * The best price on {@code side}'s own side of the book, where an order joins it without taking: the bid for a
     * buy, the ask for a sell.
     */
    public BigDecimal joining(Side side) {
        return side == Side.BUY ? bid : ask;
    }
}
