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

/** The market state of an instrument at its venue: the touch, spread, best levels and imbalance. */
@Singleton
public class MarketService {

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private final Venues venues;

    public MarketService(Venues venues) {
        this.venues = venues;
    }

    public Uni<MarketSnapshot> snapshot(InstrumentId id, int levels) {
        if (venues.instrument(id).isEmpty()) {
            throw Problems.notFound("No instrument " + id + "; see GET /instruments");
        }
        Venue venue = venues.venue(id);
        return venue.book(id.symbol(), levels).map(book -> {
            var top = venue.topOfBook(id.symbol()).orElseThrow(() -> Problems.unavailable(
                    dev.tradeplane.model.ProblemTypes.SERVICE_UNAVAILABLE, "No market data", "The venue has no market for " + id + " yet.", 1));
            BigDecimal mid = top.mid();
            BigDecimal spreadBps = top.ask().subtract(top.bid()).multiply(TEN_THOUSAND).divide(mid, 4, RoundingMode.HALF_EVEN);
            List<MarketSnapshot.Level> bids = book.map(BookLevels::bids).orElse(List.of());
            List<MarketSnapshot.Level> asks = book.map(BookLevels::asks).orElse(List.of());
            return new MarketSnapshot(id.toString(), id.venue(), top.bid(), top.ask(), mid, spreadBps.stripTrailingZeros(),
                    imbalance(bids, asks), bids, asks, top.time());
        });
    }

    static BigDecimal imbalance(List<MarketSnapshot.Level> bids, List<MarketSnapshot.Level> asks) {
        BigDecimal b = bids.stream().map(MarketSnapshot.Level::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal a = asks.stream().map(MarketSnapshot.Level::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = a.add(b);
        return total.signum() == 0 ? null : b.subtract(a).divide(total, 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
