package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /allocations} and the payload of {@code allocation.changed}: each model's share of the account and the
 * budget it gives, with the inputs that decided it. {@code equity} is the engines' equity in USD
 * ({@code equity_stale} when an engine could not be asked and the last known value was used); {@code volatility} the
 * highest annualized realized volatility among the traded markets, which damps every share above
 * {@code volatility_threshold}. The part of the account no model has stays in cash.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Allocations(
        Instant at,
        String method,
        BigDecimal equity,
        boolean equityStale,
        BigDecimal volatility,
        BigDecimal volatilityThreshold,
        boolean damped,
        List<Budget> models) {

    /**
     * One model: its share and budget (share × equity); {@code used} its gross exposure now and {@code remaining} what
     * a new signal may still use; {@code sharpe} its live annualized Sharpe ratio over {@code samples} PnL samples
     * (null with too few); {@code score} what the method made of it; {@code changed_at} when its share last moved
     * (the cooldown counts from there); {@code notes} why the share is what it is.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Budget(String model, String status, BigDecimal share, BigDecimal budget, BigDecimal used, BigDecimal remaining,
                         BigDecimal sharpe, int samples, BigDecimal score, Instant changedAt, List<String> notes) {}
}
