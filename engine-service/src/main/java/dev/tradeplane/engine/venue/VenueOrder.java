package dev.tradeplane.engine.venue;

import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;

/**
 * An order as sent to a venue: always MARKET or LIMIT (the engine holds stops and trailing stops itself and sends
 * them when they trigger). {@code symbol} is the venue's own symbol, without the venue suffix.
 */
public record VenueOrder(
        String clientOrderId,
        String symbol,
        Side side,
        OrderType type,
        TimeInForce timeInForce,
        BigDecimal quantity,
        BigDecimal price,
        boolean postOnly) {

    /** The same order with another quantity. */
    public VenueOrder withQuantity(BigDecimal newQuantity) {
        return new VenueOrder(clientOrderId, symbol, side, type, timeInForce, newQuantity, price, postOnly);
    }
}
