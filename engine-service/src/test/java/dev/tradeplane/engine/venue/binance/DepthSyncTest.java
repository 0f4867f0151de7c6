package dev.tradeplane.engine.venue.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.market.book.L2Book;
import dev.tradeplane.model.MarketSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Binance's local order book rules: buffer, snapshot, drop the old, straddle, continue, resynchronize on a gap. */
class DepthSyncTest {

    private static final Instant T = Instant.parse("2026-11-22T12:00:00Z");

    private static DepthSync.Diff diff(long first, long last, String bidPrice, String bidQty) {
        return new DepthSync.Diff(first, last, List.of(change(bidPrice, bidQty)), List.of(), T);
    }

    private static L2Book.Change change(String price, String qty) {
        return new L2Book.Change(new BigDecimal(price), new BigDecimal(qty));
    }

    private static DepthSync.Snapshot snapshot(long id) {
        return new DepthSync.Snapshot(id, List.of(change("100", "1")), List.of(change("101", "1")));
    }

    private static BigDecimal bidQty(DepthSync sync, String price) {
        return sync.book().levels(100).bids().stream().filter(l -> l.price().compareTo(new BigDecimal(price)) == 0)
                .map(MarketSnapshot.Level::quantity).findFirst().orElse(BigDecimal.ZERO);
    }

    @Test
    void buffersUntilTheSnapshotThenDropsWhatItHoldsAndAppliesTheRest() {
        DepthSync sync = new DepthSync();
        assertTrue(sync.needsSnapshot());
        assertEquals(DepthSync.DiffResult.BUFFERED, sync.onDiff(diff(8, 9, "99", "5")));
        assertEquals(DepthSync.DiffResult.BUFFERED, sync.onDiff(diff(10, 12, "98", "6")));
        assertEquals(DepthSync.DiffResult.BUFFERED, sync.onDiff(diff(13, 13, "97", "7")));
        assertTrue(sync.needsSnapshot());

        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(10), T));

        assertTrue(sync.synced());
        assertEquals(13, sync.book().sequence());
        assertEquals(BigDecimal.ZERO, bidQty(sync, "99"), "the diff up to 9 is older than the snapshot (10) and dropped");
        assertEquals(0, new BigDecimal("6").compareTo(bidQty(sync, "98")), "10..12 straddles 11 and is applied");
        assertEquals(0, new BigDecimal("7").compareTo(bidQty(sync, "97")));
        assertEquals(DepthSync.DiffResult.STALE, sync.onDiff(diff(12, 13, "96", "1")));
        assertEquals(DepthSync.DiffResult.APPLIED, sync.onDiff(diff(14, 15, "100", "0")));
        assertEquals(BigDecimal.ZERO, bidQty(sync, "100"), "a zero quantity removes the level");
    }

    @Test
    void aLateSnapshotDoesNotRollABookInStepBack() {
        DepthSync sync = new DepthSync();
        sync.onDiff(diff(10, 12, "98", "6"));
        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(11), T));
        assertEquals(DepthSync.DiffResult.APPLIED, sync.onDiff(diff(13, 20, "97", "7")));
        assertEquals(DepthSync.SnapshotResult.IGNORED, sync.onSnapshot(snapshot(11), T), "a second answer, older than the book");
        assertEquals(20, sync.book().sequence());
        assertEquals(0, new BigDecimal("7").compareTo(bidQty(sync, "97")));
        assertEquals(DepthSync.DiffResult.APPLIED, sync.onDiff(diff(21, 21, "96", "1")), "and the stream goes on from 20");
    }

    @Test
    void aSnapshotTakenBeforeAnyDiffNeedsTheFirstDiffToStraddleIt() {
        DepthSync sync = new DepthSync();
        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(10), T), "a quiet book: nothing buffered yet");
        assertEquals(DepthSync.DiffResult.STALE, sync.onDiff(diff(9, 10, "99", "5")), "sent before the snapshot was taken");
        assertEquals(DepthSync.DiffResult.APPLIED, sync.onDiff(diff(11, 11, "99", "5")));

        DepthSync missed = new DepthSync();
        missed.onSnapshot(snapshot(10), T);
        assertEquals(DepthSync.DiffResult.GAP, missed.onDiff(diff(12, 12, "99", "5")), "update 11 fell between snapshot and stream");
        assertTrue(missed.needsSnapshot());
    }

    @Test
    void aSnapshotOlderThanTheFirstBufferedDiffIsRefused() {
        DepthSync sync = new DepthSync();
        sync.onDiff(diff(20, 21, "99", "5"));
        assertEquals(DepthSync.SnapshotResult.TOO_OLD, sync.onSnapshot(snapshot(18), T), "update 19 is in neither");
        assertFalse(sync.synced());
        assertTrue(sync.needsSnapshot());
        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(19), T), "20 continues 19");
    }

    @Test
    void aGapClearsTheBookAndAsksForANewSnapshot() {
        DepthSync sync = new DepthSync();
        sync.onDiff(diff(5, 6, "99", "5"));
        sync.onSnapshot(snapshot(5), T);
        assertEquals(DepthSync.DiffResult.APPLIED, sync.onDiff(diff(7, 7, "99", "4")));

        assertEquals(DepthSync.DiffResult.GAP, sync.onDiff(diff(10, 11, "98", "3")), "8 and 9 are missing");

        assertFalse(sync.synced());
        assertTrue(sync.book().top().isEmpty(), "a book out of step shows nothing");
        assertTrue(sync.needsSnapshot(), "the diff after the gap is kept for the next snapshot");
        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(10), T));
        assertEquals(11, sync.book().sequence());
        assertEquals(0, new BigDecimal("3").compareTo(bidQty(sync, "98")));
    }

    @Test
    void aGapAmongTheBufferedDiffsIsFoundWhenTheSnapshotIsApplied() {
        DepthSync sync = new DepthSync();
        sync.onDiff(diff(5, 6, "99", "5"));
        sync.onDiff(diff(9, 9, "98", "5"));
        assertEquals(DepthSync.SnapshotResult.GAP, sync.onSnapshot(snapshot(5), T));
        assertFalse(sync.synced());
        assertEquals(DepthSync.SnapshotResult.SYNCED, sync.onSnapshot(snapshot(8), T), "a newer snapshot covers the gap");
        assertEquals(9, sync.book().sequence());
    }

    /** Any stream of changes, with a snapshot taken at any point and gaps healed by new snapshots, ends in the venue's book. */
    @Test
    void theLocalBookEndsEqualToTheVenuesWhateverTheTimingOfTheSnapshots() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            TreeMap<BigDecimal, BigDecimal> venue = new TreeMap<>();
            List<DepthSync.Diff> diffs = new ArrayList<>();
            List<TreeMap<BigDecimal, BigDecimal>> states = new ArrayList<>();
            states.add(new TreeMap<>(venue));
            long id = 100;
            for (int i = 0; i < 60; i++) {
                List<L2Book.Change> changes = new ArrayList<>();
                for (int c = 0; c < 1 + random.nextInt(3); c++) {
                    BigDecimal price = BigDecimal.valueOf(90 + random.nextInt(10));
                    BigDecimal qty = random.nextInt(4) == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(1 + random.nextInt(9));
                    changes.add(new L2Book.Change(price, qty));
                    if (qty.signum() == 0) {
                        venue.remove(price);
                    } else {
                        venue.put(price, qty);
                    }
                }
                long span = 1 + random.nextInt(3);
                diffs.add(new DepthSync.Diff(id + 1, id + span, changes, List.of(), T));
                id += span;
                states.add(new TreeMap<>(venue));
            }
            DepthSync sync = new DepthSync();
            int snapshotAfter = random.nextInt(diffs.size());
            int dropped = random.nextInt(diffs.size() - 1); // a lost last diff shows only when the next one comes
            for (int i = 0; i < diffs.size(); i++) {
                if (i == dropped && i > snapshotAfter + 1) {
                    continue; // lost on the wire: a gap
                }
                sync.onDiff(diffs.get(i));
                if (sync.needsSnapshot() && i >= snapshotAfter) {
                    // the snapshot is taken after diff i: it holds the venue's book as diff i left it
                    long at = diffs.get(i).last();
                    List<L2Book.Change> bids = states.get(i + 1).entrySet().stream().map(e -> new L2Book.Change(e.getKey(), e.getValue())).toList();
                    sync.onSnapshot(new DepthSync.Snapshot(at, bids, List.of()), T);
                }
            }
            assertTrue(sync.synced(), "seed " + seed);
            TreeMap<BigDecimal, BigDecimal> local = new TreeMap<>();
            sync.book().levels(1000).bids().forEach(l -> local.put(l.price(), l.quantity()));
            assertEquals(venue, local, "seed " + seed);
        }
    }
}
