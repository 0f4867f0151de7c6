package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * A trade signal from a strategy, as posted to {@code POST /strategy/signal}.
 *
 * @param signalId the client's idempotency key: the same id always yields the first answer
 * @param symbol   instrument and venue, {@code BTCUSDT.PAPER}
 * @param quantity base quantity; exactly one of {@code quantity} and {@code quote} is given
 * @param quote    an amount of quote currency to trade instead of a base quantity
 * @param model    optional: send to this model instead of letting the router pick one
 * @param type     MARKET (default) or LIMIT
 * @param price    limit price, required for LIMIT and refused for MARKET
 * @param stopLoss   optional: with {@code takeProfit} or alone, the order becomes a bracket with this stop-loss
 * @param takeProfit optional: the bracket's take-profit limit price
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Signal(
        String signalId,
        String symbol,
        Side side,
        BigDecimal quantity,
        BigDecimal quote,
        String model,
        OrderType type,
        BigDecimal price,
        BigDecimal stopLoss,
        BigDecimal takeProfit,
        Execution execution) {}
