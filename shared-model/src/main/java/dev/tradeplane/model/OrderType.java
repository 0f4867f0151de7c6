package dev.tradeplane.model;

/** Order types the engine accepts. */
public enum OrderType {
    /** Takes liquidity at whatever price the book offers, level by level. */
    MARKET,
    /** Executes at the given price or better; the unfilled rest follows the time in force. */
    LIMIT,
    /** Becomes a MARKET order when the market reaches {@code stop_price}. */
    STOP_MARKET,
    /** Becomes a LIMIT order at {@code price} when the market reaches {@code stop_price}. */
    STOP_LIMIT,
    /**
     * A stop that follows the best price since it was armed by {@code trailing_offset} (a price distance) or
     * {@code trailing_offset_bps}; it becomes a MARKET order when the market comes back by that much, or a LIMIT order
     * {@code limit_offset} beyond the trigger price when one is given.
     */
    TRAILING_STOP;

    /** True for types the engine holds until a trigger, rather than sending to the venue at once. */
    public boolean isStop() {
        return this == STOP_MARKET || this == STOP_LIMIT || this == TRAILING_STOP;
    }
}
