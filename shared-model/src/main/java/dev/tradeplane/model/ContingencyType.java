package dev.tradeplane.model;

/** How an order is tied to others. */
public enum ContingencyType {
    /** One cancels the other: when one leg fills or triggers the other is canceled; a partial fill shrinks it. */
    OCO,
    /** An entry with a stop-loss and a take-profit armed when it fills, sized to what filled; the two are an OCO. */
    BRACKET
}
