package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A strategy model in OPS' registry. {@code status}: candidate, canary, active, paused, retired; only canary and
 * active models receive signals. {@code target_weight} is the routing weight the model has when active;
 * {@code weight} the one it has now (a canary routes at a fraction of its target, others at 0). {@code venues} and
 * {@code symbols} limit what it may trade (null: anything). {@code version} changes with every update;
 * {@code status_reason} says who or what put the model in its status and why (e.g. {@code policy:drawdown-pause: ...});
 * {@code execution} is how its MARKET signals are worked when they do not say ({@code {"algo": "CHASE_LIMIT", ...}}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StrategyModel(
        String name,
        String status,
        BigDecimal weight,
        BigDecimal targetWeight,
        List<String> venues,
        List<String> symbols,
        BacktestStats backtest,
        String owner,
        Instant createdAt,
        Instant updatedAt,
        long version,
        String statusReason,
        Execution execution) {}
