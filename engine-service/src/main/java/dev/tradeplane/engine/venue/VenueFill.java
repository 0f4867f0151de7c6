package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Liquidity;
import java.math.BigDecimal;
import java.time.Instant;

/** One execution reported by a venue. {@code tradeId} is unique per venue and symbol. */
public record VenueFill(
        String tradeId,
        BigDecimal quantity,
        BigDecimal price,
        BigDecimal fee,
        String feeAsset,
        Liquidity liquidity,
        Instant time) {}
