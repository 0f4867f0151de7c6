package dev.tradeplane.engine.venue;

/** Receives the best bid and ask of a venue's symbols as they change. */
@FunctionalInterface
public interface MarketListener {

    void onQuote(String venue, String symbol, TopOfBook top);
}
