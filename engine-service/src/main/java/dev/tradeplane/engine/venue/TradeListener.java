package dev.tradeplane.engine.venue;

/** Where a venue reports every trade it prints for a symbol (the market's and ours). */
@FunctionalInterface
public interface TradeListener {

    void onTrade(String venue, String symbol, LastTrade trade);
}
