package dev.tradeplane.engine.venue;

import dev.tradeplane.model.RejectReason;
import java.util.List;

/**
 * What a venue answered to a new order: the fills it made at once, and whether the rest now rests in the book,
 * is done (filled, or the rest canceled as IOC/FOK/market orders are), or the order was refused.
 */
public record VenueAck(
        String venueOrderId,
        Outcome outcome,
        List<VenueFill> fills,
        RejectReason rejectReason,
        String rejectDetail) {

    public enum Outcome {
        /** The unfilled rest is working in the book. */
        RESTING,
        /** Nothing of the order is left at the venue. */
        DONE,
        /** The venue refused the order; nothing was filled. */
        REJECTED
    }

    public static VenueAck rejected(RejectReason reason, String detail) {
        return new VenueAck(null, Outcome.REJECTED, List.of(), reason, detail);
    }
}
