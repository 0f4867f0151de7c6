package dev.tradeplane.model;

/** How long an order stays working. */
public enum TimeInForce {
    /** Good till canceled: the rest of a limit order rests in the book. */
    GTC,
    /** Immediate or cancel: fill what is available now, cancel the rest. */
    IOC,
    /** Fill or kill: fill everything now or nothing at all. */
    FOK,
    /** Good till date: like GTC until {@code expire_at}, then EXPIRED. */
    GTD
}
