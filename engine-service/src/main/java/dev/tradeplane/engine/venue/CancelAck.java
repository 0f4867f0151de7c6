package dev.tradeplane.engine.venue;

import java.math.BigDecimal;

/**
 * A venue's answer to a cancel. UNKNOWN means nothing of the order is working there any more: it filled, was
 * canceled, or never arrived; fills it made before are reported as fills, in order, before this answer.
 */
public record CancelAck(Outcome outcome, BigDecimal canceledQuantity) {

    public enum Outcome {
        CANCELED,
        UNKNOWN
    }

    public static CancelAck unknown() {
        return new CancelAck(Outcome.UNKNOWN, BigDecimal.ZERO);
    }
}
