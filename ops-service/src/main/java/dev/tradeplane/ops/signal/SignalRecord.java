package dev.tradeplane.ops.signal;

import java.time.Instant;

/** A signal as stored: what was asked, which model took it, and once finished the answer it got. */
public record SignalRecord(
        String signalId,
        String requestHash,
        String requestJson,
        String model,
        String status,
        int attempts,
        Instant leaseUntil,
        Integer responseStatus,
        String response,
        Instant createdAt,
        java.math.BigDecimal placedQuantity,
        java.math.BigDecimal placedQuote) {

    public static final String DISPATCHING = "DISPATCHING";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";

    public boolean finished() {
        return responseStatus != null;
    }
}
