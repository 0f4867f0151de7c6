package dev.tradeplane.engine.account;

import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prices assets in US dollars from the venues' books. Stablecoins (USD, USDT, USDC) count as one dollar; any other
 * asset is valued at the mid of its instrument against a stablecoin on the same venue.
 */
@Singleton
public class Valuation {

    private static final Set<String> DOLLARS = Set.of("USD", "USDT", "USDC");

    private final Venues venues;

    public Valuation(Venues venues) {
        this.venues = venues;
    }

    /** The dollar price of one unit of {@code asset} at {@code venue}, if there is one. */
    public Optional<BigDecimal> usdPrice(String venue, String asset) {
        if (DOLLARS.contains(asset)) {
            return Optional.of(BigDecimal.ONE);
        }
        Optional<Venue> v = venues.venue(venue);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (Instrument instrument : v.get().instruments()) {
            if (instrument.baseAsset().equals(asset) && DOLLARS.contains(instrument.quoteAsset())) {
                String symbol = InstrumentId.parse(instrument.symbol()).orElseThrow().symbol();
                return v.get().topOfBook(symbol).map(TopOfBook::mid);
            }
        }
        return Optional.empty();
    }

    /** Mark price of an instrument: its mid, if the venue has a market. */
    public Optional<BigDecimal> mark(InstrumentId id) {
        return venues.venue(id.venue()).flatMap(v -> v.topOfBook(id.symbol())).map(TopOfBook::mid);
    }

    /** Balances valued in dollars; assets without a price are left out. */
    public BigDecimal equityUsd(String venue, Map<String, BigDecimal> balances) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> balance : balances.entrySet()) {
            Optional<BigDecimal> price = usdPrice(venue, balance.getKey());
            if (price.isPresent()) {
                total = total.add(balance.getValue().multiply(price.get()));
            }
        }
        return total;
    }
}
