package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;

/** The last trade a venue printed for a symbol: price, quantity, the aggressor's side, and when. */
public record LastTrade(BigDecimal price, BigDecimal quantity, Side aggressor, Instant time) {}
