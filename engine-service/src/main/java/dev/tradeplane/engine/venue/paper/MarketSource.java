package dev.tradeplane.engine.venue.paper;

import dev.tradeplane.engine.venue.paper.book.OrderBook;
import java.util.function.LongSupplier;

/**
 * Where a paper instrument's market comes from: the synthetic generator or a recording. A source owns the market's
 * (non-own) orders in the book; it moves the market by sending trades through the book (which may fill own resting
 * orders, reported to the sink) and by placing and canceling its own liquidity.
 */
interface MarketSource {

    /** Builds the first book. */
    void open(OrderBook book, LongSupplier ids);

    /** One step of the market. */
    void step(OrderBook book, LongSupplier ids, OrderBook.FillSink sink);

    /** Where the market stands, to be saved and given back after a restart; -1 when the source keeps no such state. */
    default long state() {
        return -1;
    }

    /** Continues from a saved state (see {@link #state()}) and re-quotes the book around it. */
    default void restore(OrderBook book, LongSupplier ids, long state) {
    }
}
