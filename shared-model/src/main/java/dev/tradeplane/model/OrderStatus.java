package dev.tradeplane.model;

/** Where an order is in its life. A final status never changes again. */
public enum OrderStatus {
    /** Accepted by the engine, not yet acknowledged by the venue. */
    NEW,
    /** A bracket's stop-loss or take-profit, waiting for its entry to fill; not working anywhere yet. */
    HELD,
    /** Working: resting at the venue, or (stops) held by the engine until they trigger. Nothing filled. */
    OPEN,
    /** Working with part of its quantity filled. */
    PARTIALLY_FILLED,
    /** A cancel was sent to the venue and is not answered yet; fills may still arrive. */
    PENDING_CANCEL,
    /** A cancel/replace was sent to the venue and is not answered yet; fills may still arrive. */
    PENDING_REPLACE,
    FILLED,
    /** Canceled, by request or because the rest of an IOC, FOK or market order could not fill at once. */
    CANCELED,
    /** Refused by the risk rails or the venue; carries a {@link RejectReason}. */
    REJECTED,
    /** A GTD order reached its {@code expire_at}, or a FOK order could not fill completely. */
    EXPIRED;

    public boolean isFinal() {
        return this == FILLED || this == CANCELED || this == REJECTED || this == EXPIRED;
    }
}
