package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A model's live performance since it entered its status (event {@code model.performance}), published by the canary
 * manager for each canary and active model whenever the figures changed since the last one: the same statistics its
 * decisions are made on, so a governance policy can act on drawdown or Sharpe
 * ({@code value: stats.max_drawdown_pct, above: 5}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelPerformance(String model, String status, Instant since, CanaryDecision.Stats stats, Instant at) {}
