package dev.tradeplane.engine.venue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Best bid and ask of one symbol at a venue, and when they were seen. */
public record TopOfBook(BigDecimal bid, BigDecimal ask, Instant time) {

    public BigDecimal mid() {
        return bid.add(ask).divide(BigDecimal.TWO, ask.scale() + 1, RoundingMode.HALF_EVEN);
    }
}
