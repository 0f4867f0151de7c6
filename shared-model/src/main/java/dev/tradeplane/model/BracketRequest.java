package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * {@code POST /orders/bracket}: an entry order plus a stop-loss (a STOP_MARKET at {@code stopLoss}) and a take-profit
 * (a LIMIT at {@code takeProfit}) on the other side, armed when the entry fills and sized to what filled.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BracketRequest(OrderRequest entry, BigDecimal stopLoss, BigDecimal takeProfit) {}
