package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The canary manager's judgement of a model ({@code GET /canary/decisions}, event {@code model.canary_decision}):
 * {@code promote}, {@code hold} or {@code demote}, the status before and after, why, and the statistics and
 * thresholds it was judged on.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CanaryDecision(long seq, Instant at, String model, String statusBefore, String decision, String statusAfter, String reason,
                             Stats stats, Thresholds thresholds) {

    /**
     * What the model did since it entered its status: fills ({@code trades}), live annualized Sharpe over its PnL
     * samples (null with too few), drawdown from its PnL peak as a percent of its budget, the share of its round trips
     * that made money (null with none), and how long it has been in its status.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Stats(int trades, BigDecimal sharpe, BigDecimal maxDrawdownPct, BigDecimal winRate, int roundTrips, long ageSeconds) {}

    /** The thresholds in force. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Thresholds(int minTrades, long minAgeSeconds, BigDecimal promoteSharpe, BigDecimal promoteMaxDrawdownPct,
                             BigDecimal promoteWinRate, BigDecimal demoteSharpe, BigDecimal demoteMaxDrawdownPct) {}
}
