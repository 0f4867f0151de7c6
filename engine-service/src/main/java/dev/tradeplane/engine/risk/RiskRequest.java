package dev.tradeplane.engine.risk;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;

/**
 * One order (or the new terms of a replaced one) to check.
 *
 * @param quantity      the base quantity the check is about: the order's, or for a replace what it will have left
 * @param price         the price the order is valued at: its limit (or stop) price, or the touch for a market order
 * @param limitPrice    the limit price for the price band; null for market and stop-market orders
 * @param mid           the market's mid, for the price band; null when there is no market
 * @param symbolExposure the instrument's net position (all models) and working quantities, from its lane
 * @param working       the quantity the order will have working (for the position check, beside {@code symbolExposure}, which
 *                      leaves the order out)
 * @param openDelta     open quantity the order adds to its side in the exposure ledger (what a replace adds; 0 if it shrinks)
 * @param newOrders     working orders it adds (1 for a new order, 0 for a replace)
 * @param reducing      true when the order only reduces the model's position in the instrument
 * @param internal      true for orders the engine makes itself (flattening): no rate limit
 */
public record RiskRequest(
        InstrumentId instrument,
        Instrument rules,
        String model,
        Side side,
        OrderType type,
        BigDecimal quantity,
        BigDecimal price,
        BigDecimal limitPrice,
        BigDecimal mid,
        Exposure symbolExposure,
        BigDecimal working,
        BigDecimal openDelta,
        int newOrders,
        boolean reducing,
        boolean internal) {}
