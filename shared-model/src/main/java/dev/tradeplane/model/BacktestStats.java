package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.LocalDate;

/** What a model's backtest showed, as its owner registered it (every field optional). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BacktestStats(BigDecimal sharpe, BigDecimal maxDrawdownPct, BigDecimal winRate, Integer trades, LocalDate from, LocalDate to) {}
