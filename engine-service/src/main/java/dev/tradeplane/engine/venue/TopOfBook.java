package dev.tradeplane.engine.venue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Best bid and ask of one symbol at a venue, and when they were seen. */
public record TopOfBook(BigDecimal bid, BigDecimal ask, Instant time) {

    /**
     * Halfway between bid and ask, exact: one decimal more than the finer of the two prices (never fewer than one),
     * whatever scale they come in ({@code 2E+3} from a venue that strips zeros is 2000, not a price in thousands).
     */
    public BigDecimal mid() {
        int scale = Math.max(0, Math.max(bid.scale(), ask.scale())) + 1;
        return bid.add(ask).divide(BigDecimal.TWO, scale, RoundingMode.UNNECESSARY).stripTrailingZeros();
    }
}
