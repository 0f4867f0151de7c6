package dev.tradeplane.engine.venue.binance;

import dev.tradeplane.engine.market.book.L2Book;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Keeps one symbol's {@link L2Book} in step with Binance's depth stream, by Binance's rules for a local book: diffs
 * are buffered until a REST snapshot arrives; diffs the snapshot already contains ({@code u <= lastUpdateId}) are
 * dropped; the first diff applied after the snapshot must straddle it ({@code U <= lastUpdateId + 1 <= u}) and every later one
 * must continue the previous ({@code U == previous u + 1}). Anything else is a gap: the book is cleared, diffs are
 * buffered again, and a new snapshot is needed. A snapshot older than the first buffered diff is refused and must be
 * fetched again. Pure and single-threaded: its owner feeds it in order.
 */
public final class DepthSync {

    /** One depthUpdate: the range of update ids it covers and the levels it changes. */
    public record Diff(long first, long last, List<L2Book.Change> bids, List<L2Book.Change> asks, Instant at) {}

    /** A REST depth snapshot. */
    public record Snapshot(long lastUpdateId, List<L2Book.Change> bids, List<L2Book.Change> asks) {}

    public enum DiffResult {
        /** Kept until a snapshot arrives. */
        BUFFERED,
        /** Applied to the book. */
        APPLIED,
        /** Older than the book: dropped. */
        STALE,
        /** Does not continue the book: the book is cleared and a new snapshot is needed. */
        GAP
    }

    public enum SnapshotResult {
        /** The book is in step; buffered diffs were applied. */
        SYNCED,
        /** The snapshot is older than the first buffered diff: fetch another. */
        TOO_OLD,
        /** A buffered diff after the snapshot did not continue it: fetch another. */
        GAP,
        /** The book is in step already: a late snapshot is not applied (it would roll the book back). */
        IGNORED
    }

    /** Diffs kept at most while waiting for a snapshot; older ones are dropped (the snapshot then comes too old). */
    static final int MAX_BUFFERED = 10_000;

    private final L2Book book = new L2Book();
    private final Deque<Diff> buffer = new ArrayDeque<>();
    private boolean synced;
    private boolean awaitingFirst;

    public L2Book book() {
        return book;
    }

    public boolean synced() {
        return synced;
    }

    /**
     * Whether a snapshot is needed: the book is not in step. It may be fetched before any diff has arrived (a quiet
     * book sends none): the first diff after it must then straddle it, as any first diff must.
     */
    public boolean needsSnapshot() {
        return !synced;
    }

    public DiffResult onDiff(Diff d) {
        if (!synced) {
            buffer.addLast(d);
            if (buffer.size() > MAX_BUFFERED) {
                buffer.removeFirst();
            }
            return DiffResult.BUFFERED;
        }
        DiffResult result = apply(d);
        if (result == DiffResult.GAP) {
            lose();
            buffer.addLast(d);
        }
        return result;
    }

    private DiffResult apply(Diff d) {
        long sequence = book.sequence();
        if (d.last() <= sequence) {
            return DiffResult.STALE;
        }
        boolean continues = awaitingFirst ? d.first() <= sequence + 1 : d.first() == sequence + 1;
        if (!continues) {
            return DiffResult.GAP;
        }
        awaitingFirst = false;
        book.apply(d.bids(), d.asks(), d.last(), d.at());
        return DiffResult.APPLIED;
    }

    public SnapshotResult onSnapshot(Snapshot s, Instant at) {
        if (synced) {
            return SnapshotResult.IGNORED;
        }
        Diff oldest = buffer.peekFirst();
        if (oldest != null && oldest.first() > s.lastUpdateId() + 1) {
            return SnapshotResult.TOO_OLD;
        }
        book.reset(s.bids(), s.asks(), s.lastUpdateId(), at);
        synced = true;
        awaitingFirst = true;
        while (!buffer.isEmpty()) {
            Diff d = buffer.pollFirst();
            if (apply(d) == DiffResult.GAP) {
                lose();
                buffer.addFirst(d);
                return SnapshotResult.GAP;
            }
        }
        return SnapshotResult.SYNCED;
    }

    /** The stream was lost: the book is no longer in step, and what was buffered is of no use. */
    public void reset() {
        lose();
        buffer.clear();
    }

    private void lose() {
        synced = false;
        awaitingFirst = false;
        book.clear();
    }
}
