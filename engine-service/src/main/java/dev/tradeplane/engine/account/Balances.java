package dev.tradeplane.engine.account;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed balances, by venue and asset, kept in memory for metrics and the account view. Every change is an
 * atomic add of a committed delta, so lanes of different instruments can add to the same asset safely.
 */
@jakarta.inject.Singleton
public class Balances {

    private final Map<String, Map<String, BigDecimal>> byVenue = new ConcurrentHashMap<>();

    public void load(Map<String, Map<String, BigDecimal>> saved) {
        saved.forEach((venue, assets) -> byVenue.computeIfAbsent(venue, v -> new ConcurrentHashMap<>()).putAll(assets));
    }

    public void add(String venue, Map<String, BigDecimal> deltas) {
        Map<String, BigDecimal> assets = byVenue.computeIfAbsent(venue, v -> new ConcurrentHashMap<>());
        deltas.forEach((asset, delta) -> assets.merge(asset, delta, BigDecimal::add));
    }

    public Map<String, BigDecimal> of(String venue) {
        return Map.copyOf(byVenue.getOrDefault(venue, Map.of()));
    }
}
