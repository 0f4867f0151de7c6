package dev.tradeplane.model;

/** The side of an order, a fill or a signal. */
public enum Side {
    BUY,
    SELL;

    /** +1 for BUY, -1 for SELL: the sign a fill of this side gives to a position. */
    public int sign() {
        return this == BUY ? 1 : -1;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
