package dev.tradeplane.engine.market.book;

import dev.tradeplane.engine.venue.BookLevels;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.model.MarketSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A venue-neutral level-2 book of one symbol: the quantity resting at each price on both sides, the venue's sequence
 * number of the last change applied, and when it was last changed. Not thread-safe: its owner applies changes and
 * reads it from one thread, or under its own lock.
 */
public final class L2Book {

    /** One price level change: {@code quantity} zero removes the level. */
    public record Change(BigDecimal price, BigDecimal quantity) {}

    private final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private long sequence = -1;
    private Instant updated;

    /** Replaces the whole book (a snapshot). */
    public void reset(List<Change> bidLevels, List<Change> askLevels, long sequence, Instant at) {
        bids.clear();
        asks.clear();
        apply(bidLevels, askLevels, sequence, at);
    }

    /** Applies changes to both sides and records the sequence number they bring the book to. */
    public void apply(List<Change> bidChanges, List<Change> askChanges, long sequence, Instant at) {
        put(bids, bidChanges);
        put(asks, askChanges);
        this.sequence = sequence;
        this.updated = at;
    }

    /** Empties the book: it is no longer in step with the venue. */
    public void clear() {
        bids.clear();
        asks.clear();
        sequence = -1;
    }

    private static void put(Map<BigDecimal, BigDecimal> side, List<Change> changes) {
        for (Change c : changes) {
            if (c.quantity().signum() == 0) {
                side.remove(c.price());
            } else {
                side.put(c.price(), c.quantity());
            }
        }
    }

    public long sequence() {
        return sequence;
    }

    public Instant updated() {
        return updated;
    }

    /** True when the best bid is at or above the best ask: a book no venue can have, so out of step. */
    public boolean crossed() {
        return !bids.isEmpty() && !asks.isEmpty() && bids.firstKey().compareTo(asks.firstKey()) >= 0;
    }

    /** Best bid and ask, when both sides have a level and the book is not crossed. */
    public Optional<TopOfBook> top() {
        if (bids.isEmpty() || asks.isEmpty() || crossed()) {
            return Optional.empty();
        }
        return Optional.of(new TopOfBook(bids.firstKey(), asks.firstKey(), updated));
    }

    /** The best {@code levels} levels of each side, best first. */
    public BookLevels levels(int levels) {
        return new BookLevels(best(bids, levels), best(asks, levels), updated, sequence);
    }

    private static List<MarketSnapshot.Level> best(NavigableMap<BigDecimal, BigDecimal> side, int levels) {
        List<MarketSnapshot.Level> out = new ArrayList<>(Math.min(levels, side.size()));
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            if (out.size() == levels) {
                break;
            }
            out.add(new MarketSnapshot.Level(e.getKey(), e.getValue()));
        }
        return out;
    }

    public int depth() {
        return bids.size() + asks.size();
    }
}
