package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Instrument;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * A place orders execute: the paper venue, or an exchange adapter. The engine talks to every venue through this
 * interface only and never knows which one it is (DESIGN 7).
 */
public interface Venue {

    /** Upper-case name, the part after the dot in {@code BTCUSDT.PAPER}. */
    String name();

    /** What trades here, with tick, lot and min-notional rules. */
    List<Instrument> instruments();

    /** The current best bid and ask, if the venue has a market for the symbol. */
    Optional<TopOfBook> topOfBook(String symbol);

    /** The best {@code levels} price levels of each side (best first), if the venue shows its book. */
    default Uni<java.util.Optional<BookLevels>> book(String symbol, int levels) {
        return Uni.createFrom().item(java.util.Optional.empty());
    }

    /** The last trade printed for the symbol (the market's or ours), if the venue reports trades. */
    default Optional<LastTrade> lastTrade(String symbol) {
        return Optional.empty();
    }

    /** Sends a new order; the answer carries the fills made at once. */
    Uni<VenueAck> submit(VenueOrder order);

    /**
     * Cancels what is left of an order. Fills the venue made before the cancel are reported to the execution listener
     * before this answer completes.
     */
    Uni<CancelAck> cancel(String symbol, String clientOrderId);

    /**
     * Changes a working order's total quantity and/or limit price. Whether the order keeps its place in the queue is
     * the venue's: the paper venue and Binance (an amend) keep it for a smaller quantity at the same price; any other
     * change at Binance places a new order, at the back. {@code before} is the order's total quantity until now and
     * {@code filled} what the engine has booked of it: a venue whose replacement is a new order for the rest (Binance)
     * sizes it from what it knows itself and these, so the order never adds up to more than {@code quantity}.
     */
    Uni<ReplaceAck> replace(String symbol, String clientOrderId, java.math.BigDecimal quantity, java.math.BigDecimal price,
                            java.math.BigDecimal before, java.math.BigDecimal filled);

    /** Where fills of resting orders are reported. Set once, by the engine, before any order is sent. */
    void setExecutionListener(ExecutionListener listener);

    /** Where best bid and ask changes are reported. */
    void setMarketListener(MarketListener listener);

    /** Adds a listener of the trades the venue prints; a venue that reports none ignores it. */
    default void addTradeListener(TradeListener listener) {
    }

    /**
     * Balances a fresh account starts with, by asset: the paper venue's configured ones. An exchange has its own
     * and answers none.
     */
    default java.util.Map<String, java.math.BigDecimal> openingBalances() {
        return java.util.Map.of();
    }

    /**
     * Starts the venue, once, before the engine restores its own state: the paper venue rebuilds its book and its
     * record of orders and trades from its own store; an exchange adapter connects.
     */
    default Uni<Void> start() {
        return Uni.createFrom().voidItem();
    }

    /**
     * How long after it was sent a request whose answer was lost (a timeout, an "execution status unknown") may still
     * be acted on by the venue. Until then the venue not knowing an order is not final: the request may yet arrive.
     * Zero for a venue that acts on a request before answering it or never (the paper venue).
     */
    default java.time.Duration lateActionWindow() {
        return java.time.Duration.ZERO;
    }

    /** What the venue knows of an order; empty when it never received it. */
    Uni<java.util.Optional<VenueOrderState>> query(String symbol, String clientOrderId);

    /**
     * Every order working at the venue now, as the venue sees it, each under the client order id the venue has for it
     * (see {@link #venueClientId}).
     */
    Uni<List<VenueOrderState>> openOrders();

    /**
     * The client order id the venue knows our order by: ours, unless the venue cannot take it as it is (Binance allows
     * 36 characters and sends a longer one as a fixed digest). Cancel and query take either form.
     */
    default String venueClientId(String clientOrderId) {
        return clientOrderId;
    }


    /** The account's balances per asset as the venue reports them; empty when it cannot say. */
    default Uni<java.util.Map<String, java.math.BigDecimal>> balances() {
        return Uni.createFrom().item(java.util.Map.of());
    }

    /** The venue's own net position per symbol, from its trades, when it keeps one (the paper venue); else empty. */
    default Uni<java.util.Map<String, java.math.BigDecimal>> positions() {
        return Uni.createFrom().item(java.util.Map.of());
    }
}
