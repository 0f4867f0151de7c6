package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The answer to an accepted signal: which model took it and what became of its order. A signal with a stop-loss
 * or take-profit became a bracket: {@code orderId} is its entry, {@code childOrderIds} its stop-loss and take-profit.
 * A repeated signal id gets this same answer again. {@code budget} says, when the model's capital budget cut the
 * signal, what was asked and why it was cut ({@code quantity} is what was placed).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignalResult(
        String signalId,
        String model,
        String symbol,
        String venue,
        Side side,
        String orderId,
        String clientOrderId,
        OrderStatus orderStatus,
        BigDecimal quantity,
        BigDecimal filledQuantity,
        BigDecimal averagePrice,
        List<String> childOrderIds,
        Instant receivedAt,
        BudgetCut budget) {

    /** A signal cut to its model's remaining budget: what was asked (quantity or quote), and the budget left. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BudgetCut(BigDecimal requestedQuantity, BigDecimal requestedQuote, BigDecimal remainingBudget, String detail) {}
}
