package dev.tradeplane.engine.market;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.venue.BookLevels;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.MarketSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The market state of an instrument at its venue: touch, spread, best levels, imbalance, depth, last trade, age. */
@Singleton
public class MarketService {

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private final Venues venues;
    private final java.time.Clock clock;

    public MarketService(Venues venues, java.time.Clock clock) {
        this.venues = venues;
        this.clock = clock;
    }

    public Uni<MarketSnapshot> snapshot(InstrumentId id, int levels) {
        return snapshot(id, levels, BigDecimal.TEN);
    }

    /** The market of {@code id}: {@code levels} best levels a side, and the depth within {@code depthBps} of the mid. */
    public Uni<MarketSnapshot> snapshot(InstrumentId id, int levels, BigDecimal depthBps) {
        if (venues.instrument(id).isEmpty()) {
            throw Problems.notFound("No instrument " + id + "; see GET /instruments");
        }
        Venue venue = venues.venue(id);
        // Every level the book holds: the depth band may reach past any fixed number of levels (a 10 bps band of a
        // BTCUSDT book in cents spans hundreds).
        return venue.book(id.symbol(), Integer.MAX_VALUE).map(book -> {
            var top = venue.topOfBook(id.symbol()).orElseThrow(() -> Problems.unavailable(
                    dev.tradeplane.model.ProblemTypes.SERVICE_UNAVAILABLE, "No market data", "The venue has no market for " + id + " yet.", 1));
            BigDecimal mid = top.mid();
            BigDecimal spreadBps = top.ask().subtract(top.bid()).multiply(TEN_THOUSAND).divide(mid, 4, RoundingMode.HALF_EVEN);
            List<MarketSnapshot.Level> allBids = book.map(BookLevels::bids).orElse(List.of());
            List<MarketSnapshot.Level> allAsks = book.map(BookLevels::asks).orElse(List.of());
            List<MarketSnapshot.Level> bids = allBids.subList(0, Math.min(levels, allBids.size()));
            List<MarketSnapshot.Level> asks = allAsks.subList(0, Math.min(levels, allAsks.size()));
            BigDecimal band = mid.multiply(depthBps).divide(TEN_THOUSAND, 12, RoundingMode.HALF_EVEN);
            boolean synced = book.isPresent();
            BigDecimal bidDepth = synced ? depth(allBids, p -> p.compareTo(mid.subtract(band)) >= 0) : null;
            BigDecimal askDepth = synced ? depth(allAsks, p -> p.compareTo(mid.add(band)) <= 0) : null;
            MarketSnapshot.Trade last = venue.lastTrade(id.symbol())
                    .map(t -> new MarketSnapshot.Trade(t.price(), t.quantity(), t.aggressor(), t.time())).orElse(null);
            Long age = top.time() == null ? null : Math.max(0, java.time.Duration.between(top.time(), clock.instant()).toMillis());
            return new MarketSnapshot(id.toString(), id.venue(), top.bid(), top.ask(), mid, spreadBps.stripTrailingZeros(),
                    imbalance(bids, asks), List.copyOf(bids), List.copyOf(asks), top.time(), depthBps.stripTrailingZeros(), bidDepth, askDepth,
                    last, age, synced, book.map(BookLevels::sequence).orElse(null));
        });
    }

    private static BigDecimal depth(List<MarketSnapshot.Level> side, java.util.function.Predicate<BigDecimal> within) {
        BigDecimal sum = BigDecimal.ZERO;
        for (MarketSnapshot.Level l : side) {
            if (!within.test(l.price())) {
                break;
            }
            sum = sum.add(l.quantity());
        }
        return sum.signum() == 0 ? BigDecimal.ZERO : sum.stripTrailingZeros();
    }

    static BigDecimal imbalance(List<MarketSnapshot.Level> bids, List<MarketSnapshot.Level> asks) {
        BigDecimal b = bids.stream().map(MarketSnapshot.Level::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal a = asks.stream().map(MarketSnapshot.Level::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = a.add(b);
        return total.signum() == 0 ? null : b.subtract(a).divide(total, 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
