package dev.tradeplane.engine.order;

/** What happens to an order. {@link OrderLifecycle} says which status each leads to. */
public enum Trigger {
    /** The venue took the order and it rests in the book; or the engine holds a stop until it triggers. */
    ACCEPT,
    /** A bracket child's entry filled: it starts working. */
    ARM,
    /** A stop's trigger price was reached: it goes to the venue as a market or limit order. */
    TRIGGER,
    /** A fill that leaves some quantity open. */
    FILL_PARTIAL,
    /** A fill that completes the quantity. */
    FILL_FULL,
    /** A cancel was sent to the venue. */
    CANCEL_REQUEST,
    /** A cancel/replace was sent to the venue. */
    REPLACE_REQUEST,
    /** Back to working with nothing filled (a replace was done or refused, a cancel came too late to matter). */
    RESTORE_OPEN,
    /** Back to working with part filled. */
    RESTORE_PARTIAL,
    /** The rest of the order is canceled (by request, by its contingency, or because it was IOC/market). */
    CANCEL,
    /** Refused by risk rails or the venue. */
    REJECT,
    /** A GTD order's time ran out, or a FOK order could not fill completely. */
    EXPIRE,
    /**
     * A trade the venue made before the order ended there, reported after the engine had ended it (canceled or
     * expired): booked to the order, whose status stays what it is.
     */
    LATE_FILL
}
