package dev.tradeplane.engine.venue.paper.book;

import dev.tradeplane.model.Side;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A price-time priority order book for one instrument, in whole ticks and lots. Each price level is a FIFO queue;
 * an incoming order takes the best level first and, within a level, the oldest order first. A cancel marks the order
 * empty; empty orders are dropped when they reach either end of the queue, or all at once when they outnumber the
 * live ones, so a cancel costs O(1) amortized and dead orders never pile up. Not thread-safe: one thread owns a book.
 */
public final class OrderBook {

    /** No price: an empty side, or no limit (a market order). */
    public static final long NONE = Long.MIN_VALUE;

    /** Receives each execution against a resting order. */
    @FunctionalInterface
    public interface FillSink {
        void fill(BookOrder maker, long lots, long priceTicks);
    }

    /** A price level and its total quantity, for depth views. */
    public record LevelView(long priceTicks, long lots) {}

    private static final class Level {
        final long priceTicks;
        final ArrayDeque<BookOrder> queue = new ArrayDeque<>();
        long lots;
        /** Canceled orders still in the queue; compacted away when they outnumber the live ones. */
        int dead;

        Level(long priceTicks) {
            this.priceTicks = priceTicks;
        }

        void dropDead() {
            while (!queue.isEmpty() && queue.peekFirst().lots == 0) {
                queue.pollFirst();
                dead--;
            }
            while (!queue.isEmpty() && queue.peekLast().lots == 0) {
                queue.pollLast();
                dead--;
            }
            if (dead > 16 && dead > queue.size() / 2) {
                queue.removeIf(o -> o.lots == 0);
                dead = 0;
            }
        }
    }

    private final NavigableMap<Long, Level> bids = new TreeMap<>(Collections.reverseOrder());
    private final NavigableMap<Long, Level> asks = new TreeMap<>();
    private final Map<Long, BookOrder> live = new HashMap<>();
    private long sequence;

    /** Puts an order at the back of its price level. {@code id} must be unique among live orders. */
    public BookOrder add(long id, Side side, long priceTicks, long lots, boolean own) {
        if (lots <= 0) {
            throw new IllegalArgumentException("lots must be positive");
        }
        BookOrder order = new BookOrder(id, side, priceTicks, lots, own, ++sequence);
        if (live.putIfAbsent(id, order) != null) {
            throw new IllegalArgumentException("order " + id + " is already in the book");
        }
        Level level = side(side).computeIfAbsent(priceTicks, Level::new);
        level.queue.addLast(order);
        level.lots += lots;
        return order;
    }

    /** Removes an order; the lots it still had, 0 if it was not in the book. */
    public long cancel(long id) {
        BookOrder order = live.remove(id);
        if (order == null) {
            return 0;
        }
        long removed = order.lots;
        order.lots = 0;
        NavigableMap<Long, Level> side = side(order.side);
        Level level = side.get(order.priceTicks);
        level.lots -= removed;
        if (level.lots == 0) {
            side.remove(order.priceTicks);
        } else {
            level.dead++;
            level.dropDead();
        }
        return removed;
    }

    /** Lowers an order's quantity in place, keeping its place in the queue. False if it is not in the book. */
    public boolean reduce(long id, long newLots) {
        BookOrder order = live.get(id);
        if (order == null) {
            return false;
        }
        if (newLots <= 0 || newLots > order.lots) {
            throw new IllegalArgumentException("a reduction must leave between 1 and " + order.lots + " lots");
        }
        Level level = side(order.side).get(order.priceTicks);
        level.lots -= order.lots - newLots;
        order.lots = newLots;
        return true;
    }

    public BookOrder order(long id) {
        return live.get(id);
    }

    /**
     * Executes an incoming order against the opposite side: best price first, oldest first within a price, down to
     * {@code limitTicks} ({@link #NONE} for no limit). With {@code skipOwn}, own resting orders are passed over (no
     * self-trade). Returns the lots left unfilled; fills are reported to {@code sink} at the resting order's price.
     */
    public long match(Side aggressor, long limitTicks, long lots, boolean skipOwn, FillSink sink) {
        NavigableMap<Long, Level> opposite = aggressor == Side.BUY ? asks : bids;
        long remaining = lots;
        Iterator<Level> levels = opposite.values().iterator();
        while (remaining > 0 && levels.hasNext()) {
            Level level = levels.next();
            if (!crosses(aggressor, limitTicks, level.priceTicks)) {
                break;
            }
            Iterator<BookOrder> queue = level.queue.iterator();
            while (remaining > 0 && queue.hasNext()) {
                BookOrder maker = queue.next();
                if (maker.lots == 0) {
                    queue.remove();
                    level.dead--;
                    continue;
                }
                if (skipOwn && maker.own) {
                    continue;
                }
                long taken = Math.min(remaining, maker.lots);
                maker.lots -= taken;
                level.lots -= taken;
                remaining -= taken;
                if (maker.lots == 0) {
                    queue.remove();
                    live.remove(maker.id);
                }
                sink.fill(maker, taken, level.priceTicks);
            }
            if (level.lots == 0) {
                levels.remove();
            }
        }
        return remaining;
    }

    /** Lots an incoming order could take down to {@code limitTicks} (optionally not counting own orders). */
    public long available(Side aggressor, long limitTicks, boolean skipOwn) {
        NavigableMap<Long, Level> opposite = aggressor == Side.BUY ? asks : bids;
        long total = 0;
        for (Level level : opposite.values()) {
            if (!crosses(aggressor, limitTicks, level.priceTicks)) {
                break;
            }
            if (!skipOwn) {
                total += level.lots;
                continue;
            }
            for (BookOrder o : level.queue) {
                if (!o.own) {
                    total += o.lots;
                }
            }
        }
        return total;
    }

    /** True when an order at {@code limitTicks} would execute against something at once. */
    public boolean wouldTake(Side aggressor, long limitTicks) {
        long best = aggressor == Side.BUY ? bestAsk() : bestBid();
        return best != NONE && crosses(aggressor, limitTicks, best);
    }

    public long bestBid() {
        return bids.isEmpty() ? NONE : bids.firstKey();
    }

    public long bestAsk() {
        return asks.isEmpty() ? NONE : asks.firstKey();
    }

    /** Total lots at a price. */
    public long lotsAt(Side side, long priceTicks) {
        Level level = side(side).get(priceTicks);
        return level == null ? 0 : level.lots;
    }

    /** Lots of the market's (not own) orders at a price. */
    public long marketLotsAt(Side side, long priceTicks) {
        Level level = side(side).get(priceTicks);
        if (level == null) {
            return 0;
        }
        long total = 0;
        for (BookOrder o : level.queue) {
            if (!o.own) {
                total += o.lots;
            }
        }
        return total;
    }

    /** Lots queued ahead of an order at its price: what must trade before it fills. -1 if it is not in the book. */
    public long lotsAhead(long id) {
        BookOrder order = live.get(id);
        if (order == null) {
            return -1;
        }
        long ahead = 0;
        for (BookOrder o : side(order.side).get(order.priceTicks).queue) {
            if (o == order) {
                return ahead;
            }
            ahead += o.lots;
        }
        throw new IllegalStateException("order " + id + " is missing from its level");
    }

    /**
     * Cancels market (not own) orders at a price, newest first, until at most {@code keepLots} of them remain.
     * Returns the ids canceled.
     */
    public List<Long> trimMarketOrders(Side side, long priceTicks, long keepLots) {
        Level level = side(side).get(priceTicks);
        List<Long> canceled = new ArrayList<>();
        if (level == null) {
            return canceled;
        }
        long market = marketLotsAt(side, priceTicks);
        Iterator<BookOrder> newestFirst = level.queue.descendingIterator();
        while (market > keepLots && newestFirst.hasNext()) {
            BookOrder o = newestFirst.next();
            if (o.own || o.lots == 0) {
                continue;
            }
            long excess = market - keepLots;
            if (o.lots <= excess) {
                market -= o.lots;
                canceled.add(o.id);
            } else {
                reduce(o.id, o.lots - excess);
                market = keepLots;
            }
        }
        for (long id : canceled) {
            cancel(id);
        }
        return canceled;
    }

    /** Cancels every market order on a side whose price is not in {@code keep} (prices in ticks). */
    public void cancelMarketOrdersExcept(Side side, java.util.Set<Long> keep) {
        List<Long> stale = new ArrayList<>();
        for (Level level : side(side).values()) {
            if (keep.contains(level.priceTicks)) {
                continue;
            }
            for (BookOrder o : level.queue) {
                if (!o.own && o.lots > 0) {
                    stale.add(o.id);
                }
            }
        }
        for (long id : stale) {
            cancel(id);
        }
    }

    /** The best {@code n} levels of a side, best first. */
    public List<LevelView> depth(Side side, int n) {
        NavigableMap<Long, Level> levels = side(side);
        List<LevelView> out = new ArrayList<>(Math.min(n, levels.size()));
        for (Level level : levels.values()) {
            if (out.size() == n) {
                break;
            }
            out.add(new LevelView(level.priceTicks, level.lots));
        }
        return out;
    }

    /** Live orders in the book. */
    public int size() {
        return live.size();
    }

    private NavigableMap<Long, Level> side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private static boolean crosses(Side aggressor, long limitTicks, long levelTicks) {
        if (limitTicks == NONE) {
            return true;
        }
        return aggressor == Side.BUY ? levelTicks <= limitTicks : levelTicks >= limitTicks;
    }
}
