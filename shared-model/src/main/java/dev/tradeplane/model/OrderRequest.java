package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A new order for the engine, {@code POST /orders} (and each leg of {@code /orders/oco} and {@code /orders/bracket}).
 *
 * @param clientOrderId      the caller's id for the order; also the idempotency key when no header gives one
 * @param symbol             {@code BTCUSDT.PAPER}
 * @param quantity           base quantity; exactly one of {@code quantity} and {@code quoteQuantity} is given
 * @param quoteQuantity      an amount of quote currency, turned into a base quantity at the current touch price
 * @param price              limit price (LIMIT, STOP_LIMIT)
 * @param stopPrice          trigger price (STOP_MARKET, STOP_LIMIT)
 * @param trailingOffset     TRAILING_STOP: distance from the best price, as a price
 * @param trailingOffsetBps  TRAILING_STOP: distance from the best price, in basis points
 * @param limitOffset        TRAILING_STOP: when given, the trigger sends a LIMIT this far beyond the trigger price
 * @param timeInForce        GTC (default for resting types), IOC (default for MARKET), FOK or GTD (with {@code expireAt})
 * @param postOnly           LIMIT only: refuse the order rather than let it take liquidity
 * @param model              the model the order trades for; PnL and limits are attributed to it
 * @param execution          MARKET only: work the order with an algorithm ({@link Execution}) instead of sending it as it is
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderRequest(
        String clientOrderId,
        String symbol,
        Side side,
        OrderType type,
        BigDecimal quantity,
        BigDecimal quoteQuantity,
        BigDecimal price,
        BigDecimal stopPrice,
        BigDecimal trailingOffset,
        BigDecimal trailingOffsetBps,
        BigDecimal limitOffset,
        TimeInForce timeInForce,
        Instant expireAt,
        Boolean postOnly,
        String model,
        Execution execution) {

    /** A plain MARKET or LIMIT order. */
    public static OrderRequest simple(String clientOrderId, String symbol, Side side, OrderType type, BigDecimal quantity,
                                      BigDecimal quoteQuantity, BigDecimal price, TimeInForce timeInForce, String model) {
        return new OrderRequest(clientOrderId, symbol, side, type, quantity, quoteQuantity, price, null, null, null, null,
                timeInForce, null, null, model, null);
    }
}
