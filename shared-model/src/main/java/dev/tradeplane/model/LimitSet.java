package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/**
 * Risk limits at one scope (global, a venue, a model or a symbol). Every field is optional: an absent one falls back
 * to the next less specific scope (symbol, then model, then venue, then global). Notionals and losses are in the quote
 * currency (USD for the paper venue).
 *
 * @param maxOrderQuantity    largest base quantity of one order
 * @param maxOrderNotional    largest quantity times price of one order
 * @param maxPositionQuantity largest absolute net position of an instrument (all models), counting open orders
 * @param maxPositionNotional the same, valued at the order's price
 * @param maxGrossExposure    largest sum, over instruments, of absolute worst-case positions times mid (per venue, per model)
 * @param maxNetExposure      largest absolute worst-case signed sum of positions times mid (per venue, per model)
 * @param priceBandBps        a limit price may be at most this far through the mid, in basis points
 * @param maxOpenOrders       largest number of working orders (per model, per venue)
 * @param ordersPerSecond     sustained order rate (per model, per venue): a token bucket refilled at this rate
 * @param orderBurst          the bucket's size: orders allowed at once
 * @param maxDailyLoss        loss since 00:00 UTC (realized plus unrealized, net of fees) at which new orders stop and
 *                            the kill switch trips (per model, per venue)
 * @param maxDrawdownPct      fall from the peak equity, in percent, at which the kill switch trips (per model, per venue)
 * @param allowedSymbols      when given, only these instruments may trade
 * @param deniedSymbols       these instruments may not trade
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitSet(
        BigDecimal maxOrderQuantity,
        BigDecimal maxOrderNotional,
        BigDecimal maxPositionQuantity,
        BigDecimal maxPositionNotional,
        BigDecimal maxGrossExposure,
        BigDecimal maxNetExposure,
        BigDecimal priceBandBps,
        Integer maxOpenOrders,
        BigDecimal ordersPerSecond,
        Integer orderBurst,
        BigDecimal maxDailyLoss,
        BigDecimal maxDrawdownPct,
        List<String> allowedSymbols,
        List<String> deniedSymbols) {

    public static final LimitSet NONE = new LimitSet(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
