package dev.tradeplane.engine.venue.paper.book;

import dev.tradeplane.model.Side;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Book operations per second, single-threaded, on a book of 20 levels a side with about 10 orders a level: resting
 * adds, cancels, and matches that eat the front of the touch (each followed by an add that keeps the book's shape).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OrderBookBenchmark {

    private static final int LEVELS = 20;
    private static final long BID = 100_000;
    private static final long ASK = 100_001;

    private OrderBook book;
    private SplittableRandom random;
    private long[] live;
    private int cursor;
    private long nextId;
    private long sink;

    @Setup(Level.Iteration)
    public void fill() {
        book = new OrderBook();
        random = new SplittableRandom(7);
        live = new long[4096];
        cursor = 0;
        nextId = 0;
        for (int k = 0; k < LEVELS; k++) {
            for (int i = 0; i < 10; i++) {
                book.add(++nextId, Side.BUY, BID - k, 10 + i, false);
                book.add(++nextId, Side.SELL, ASK + k, 10 + i, false);
            }
        }
    }

    /** An add of a resting order at a random level, then a cancel of an order added before: 2 operations. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long addAndCancel() {
        long id = ++nextId;
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        long price = side == Side.BUY ? BID - random.nextInt(LEVELS) : ASK + random.nextInt(LEVELS);
        book.add(id, side, price, 1 + random.nextInt(20), random.nextInt(8) == 0);
        int slot = cursor++ & (live.length - 1);
        long old = live[slot];
        live[slot] = id;
        return old == 0 ? 0 : book.cancel(old);
    }

    /** A small taker order against the touch, then an add that puts the liquidity back: 2 operations. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long matchAndReplenish() {
        Side aggressor = random.nextBoolean() ? Side.BUY : Side.SELL;
        long lots = 1 + random.nextInt(15);
        long left = book.match(aggressor, OrderBook.NONE, lots, true, (maker, taken, price) -> sink += taken);
        Side restingSide = aggressor.opposite();
        book.add(++nextId, restingSide, restingSide == Side.BUY ? BID : ASK, lots - left, false);
        return left + sink;
    }
}
