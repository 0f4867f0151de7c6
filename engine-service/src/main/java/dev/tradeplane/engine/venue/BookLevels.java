package dev.tradeplane.engine.venue;

import dev.tradeplane.model.MarketSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The best levels of a venue's book for one symbol, best first on each side, and the venue's update id the book stands
 * at (null for a venue that numbers none).
 */
public record BookLevels(List<MarketSnapshot.Level> bids, List<MarketSnapshot.Level> asks, Instant time, Long sequence) {}
