package dev.tradeplane.engine.venue.paper;

import dev.tradeplane.engine.venue.paper.book.OrderBook;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A seeded synthetic market. Each step: the fair price takes a random-walk step (with drift); if it moved, takers
 * sweep the book up (or down) to the new touch, trading through whatever rests there, own orders included; a
 * Poisson number of takers then trade at the touch, eating the front of its queue; finally the market maker
 * re-quotes a ladder of levels around the new price, pulling its quotes that are off the ladder. Own orders therefore
 * fill when the market trades through them, in their place in the queue. The random numbers only shape the market: prices and sizes are whole ticks and lots.
 */
final class SyntheticSource implements MarketSource {

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private final SplittableRandom random;
    private final double volatilityTicks;
    private final double driftTicks;
    private final long spreadTicks;
    private final long spacingTicks;
    private final int levels;
    private final long levelLots;
    private final double tradesPerStep;
    private final double meanTradeLots;
    private final long floorTicks;
    private long fairTicks;

    SyntheticSource(PaperConfig.InstrumentSpec spec, long seed, double stepSeconds) {
        this.random = new SplittableRandom(seed);
        BigDecimal tick = spec.tickSize();
        BigDecimal initial = spec.initialPrice();
        this.fairTicks = initial.divide(tick, 0, RoundingMode.HALF_EVEN).longValueExact();
        this.volatilityTicks = bpsInTicks(initial, spec.volatilityBps(), tick).doubleValue();
        this.driftTicks = bpsInTicks(initial, spec.driftBps(), tick).doubleValue();
        this.spreadTicks = Math.max(1, bpsInTicks(initial, spec.spreadBps(), tick).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
        this.spacingTicks = Math.max(1, bpsInTicks(initial, spec.levelSpacingBps(), tick).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
        this.levels = Math.max(1, spec.levels());
        this.levelLots = Math.max(1, spec.levelQuantity().divide(spec.lotSize(), 0, RoundingMode.HALF_EVEN).longValueExact());
        this.tradesPerStep = spec.tradeRate().doubleValue() * stepSeconds;
        this.meanTradeLots = Math.max(1, spec.tradeQuantity().orElse(spec.levelQuantity().divide(BigDecimal.valueOf(5)))
                .divide(spec.lotSize(), 0, RoundingMode.HALF_EVEN).doubleValue());
        this.floorTicks = spreadTicks + (long) levels * spacingTicks + 1;
    }

    private static BigDecimal bpsInTicks(BigDecimal price, BigDecimal bps, BigDecimal tick) {
        return price.multiply(bps).divide(TEN_THOUSAND.multiply(tick), 6, RoundingMode.HALF_EVEN);
    }

    @Override
    public void open(OrderBook book, LongSupplier ids) {
        quote(book, ids);
    }

    @Override
    public void step(OrderBook book, LongSupplier ids, OrderBook.FillSink sink) {
        fairTicks = Math.max(floorTicks, fairTicks + Math.round(random.nextGaussian() * volatilityTicks + driftTicks));
        long bestBid = bestBid();
        long bestAsk = bestBid + spreadTicks;
        // The move happens through trades: buyers lift every ask below the new ask, sellers hit every bid above the new bid.
        if (book.bestAsk() != OrderBook.NONE && book.bestAsk() < bestAsk) {
            book.match(Side.BUY, bestAsk - 1, book.available(Side.BUY, bestAsk - 1, false), false, sink);
        }
        if (book.bestBid() != OrderBook.NONE && book.bestBid() > bestBid) {
            book.match(Side.SELL, bestBid + 1, book.available(Side.SELL, bestBid + 1, false), false, sink);
        }
        int trades = poisson(tradesPerStep);
        for (int i = 0; i < trades; i++) {
            Side aggressor = random.nextBoolean() ? Side.BUY : Side.SELL;
            long touch = aggressor == Side.BUY ? book.bestAsk() : book.bestBid();
            if (touch == OrderBook.NONE) {
                continue;
            }
            long lots = Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanTradeLots));
            book.match(aggressor, touch, lots, false, sink);
        }
        quote(book, ids);
    }

    long fairTicks() {
        return fairTicks;
    }

    @Override
    public long state() {
        return fairTicks;
    }

    @Override
    public void restore(OrderBook book, LongSupplier ids, long state) {
        fairTicks = Math.max(floorTicks, state);
        quote(book, ids);
    }

    private long bestBid() {
        return fairTicks - spreadTicks / 2;
    }

    /** The market maker: a ladder of levels each side, topped up to a size near its target, stale quotes pulled. */
    private void quote(OrderBook book, LongSupplier ids) {
        long bestBid = bestBid();
        long bestAsk = bestBid + spreadTicks;
        Set<Long> bidLadder = new HashSet<>();
        Set<Long> askLadder = new HashSet<>();
        for (int k = 0; k < levels; k++) {
            bidLadder.add(bestBid - k * spacingTicks);
            askLadder.add(bestAsk + k * spacingTicks);
        }
        book.cancelMarketOrdersExcept(Side.BUY, bidLadder);
        book.cancelMarketOrdersExcept(Side.SELL, askLadder);
        for (int k = 0; k < levels; k++) {
            refill(book, ids, Side.BUY, bestBid - k * spacingTicks, k);
            refill(book, ids, Side.SELL, bestAsk + k * spacingTicks, k);
        }
    }

    private void refill(OrderBook book, LongSupplier ids, Side side, long priceTicks, int k) {
        long target = Math.max(1, Math.round(levelLots * (1 + 0.5 * k) * (0.75 + 0.5 * random.nextDouble())));
        long current = book.marketLotsAt(side, priceTicks);
        if (current < target) {
            book.add(ids.getAsLong(), side, priceTicks, target - current, false);
        } else if (current > 2 * target) {
            book.trimMarketOrders(side, priceTicks, target);
        }
    }

    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= random.nextDouble();
        }
        return n;
    }
}
