package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A model's net position in one instrument. {@code quantity} is signed (negative is short).
 * {@code realizedPnl} is net of fees, in the quote currency; {@code unrealizedPnl} is marked at {@code markPrice}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Position(
        String symbol,
        String venue,
        String model,
        BigDecimal quantity,
        BigDecimal averagePrice,
        BigDecimal realizedPnl,
        BigDecimal fees,
        BigDecimal markPrice,
        BigDecimal unrealizedPnl,
        Instant updatedAt) {}
