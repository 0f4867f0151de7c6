package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One minute of an instrument's trades ({@code GET /market/{symbol}/klines}): the minute's start, open, high, low and
 * close prices, the base volume and quote volume traded, and the number of trades.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Kline(Instant start, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume,
                    BigDecimal quoteVolume, int trades) {}
