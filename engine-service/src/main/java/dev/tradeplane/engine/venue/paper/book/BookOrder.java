package dev.tradeplane.engine.venue.paper.book;

import dev.tradeplane.model.Side;

/**
 * An order resting in an {@link OrderBook}: price in ticks, remaining quantity in lots. {@code own} marks the
 * platform's orders; the others are the simulated market's liquidity.
 */
public final class BookOrder {

    final long id;
    final Side side;
    final long priceTicks;
    final boolean own;
    long lots;
    /** Arrival order; lower is earlier. Only for inspection: the level's queue is the priority. */
    final long sequence;

    BookOrder(long id, Side side, long priceTicks, long lots, boolean own, long sequence) {
        this.id = id;
        this.side = side;
        this.priceTicks = priceTicks;
        this.lots = lots;
        this.own = own;
        this.sequence = sequence;
    }

    public long id() {
        return id;
    }

    public Side side() {
        return side;
    }

    public long priceTicks() {
        return priceTicks;
    }

    public long lots() {
        return lots;
    }

    public boolean own() {
        return own;
    }

    public long sequence() {
        return sequence;
    }
}
