package dev.tradeplane.model;

/**
 * Why an order or a signal was refused. Codes are stable: clients may match on the name or the number.
 * Numbers are grouped by the subsystem that decides: 1xxx input, 2xxx risk rails, 3xxx venue, 4xxx control plane.
 */
public enum RejectReason {
    INVALID_REQUEST(1000, Subsystem.INPUT),
    UNKNOWN_SYMBOL(1001, Subsystem.INPUT),
    UNKNOWN_VENUE(1002, Subsystem.INPUT),
    INVALID_QUANTITY(1003, Subsystem.INPUT),
    INVALID_PRICE(1004, Subsystem.INPUT),

    MAX_ORDER_NOTIONAL(2001, Subsystem.RISK),
    MAX_POSITION(2002, Subsystem.RISK),
    SYMBOL_NOT_ALLOWED(2003, Subsystem.RISK),
    MAX_ORDER_QUANTITY(2004, Subsystem.RISK),
    MAX_GROSS_EXPOSURE(2005, Subsystem.RISK),
    MAX_NET_EXPOSURE(2006, Subsystem.RISK),
    PRICE_BAND(2007, Subsystem.RISK),
    MAX_OPEN_ORDERS(2008, Subsystem.RISK),
    ORDER_RATE(2009, Subsystem.RISK),
    DAILY_LOSS(2010, Subsystem.RISK),
    KILL_SWITCH(2011, Subsystem.RISK),
    CIRCUIT_BREAKER(2012, Subsystem.RISK),

    LOT_SIZE(3001, Subsystem.VENUE),
    TICK_SIZE(3002, Subsystem.VENUE),
    MIN_NOTIONAL(3003, Subsystem.VENUE),
    NO_LIQUIDITY(3004, Subsystem.VENUE),
    NO_MARKET_DATA(3005, Subsystem.VENUE),
    VENUE_ERROR(3006, Subsystem.VENUE),
    POST_ONLY_WOULD_TAKE(3007, Subsystem.VENUE),
    STOP_WOULD_TRIGGER(3008, Subsystem.VENUE),
    INSUFFICIENT_BALANCE(3009, Subsystem.VENUE),
    VENUE_RATE_LIMIT(3010, Subsystem.VENUE),

    NO_ELIGIBLE_MODEL(4001, Subsystem.CONTROL),
    MODEL_NOT_ENABLED(4002, Subsystem.CONTROL),
    ENGINE_UNAVAILABLE(4003, Subsystem.CONTROL),
    MODEL_SCOPE(4004, Subsystem.CONTROL),
    TRADING_PAUSED(4005, Subsystem.CONTROL),
    BUDGET_EXCEEDED(4006, Subsystem.CONTROL);

    /** Who decides a reason. */
    public enum Subsystem {
        INPUT,
        RISK,
        VENUE,
        CONTROL
    }

    private final int code;
    private final Subsystem subsystem;

    RejectReason(int code, Subsystem subsystem) {
        this.code = code;
        this.subsystem = subsystem;
    }

    public int code() {
        return code;
    }

    public Subsystem subsystem() {
        return subsystem;
    }
}
