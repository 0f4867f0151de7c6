package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a venue knows of one order: whether it is still working there, its quantity (filled plus open), its limit
 * price as the venue has it (null when the venue does not say or the order has none), and every trade it made (with
 * the venue's trade ids, so a trade the engine missed can be applied once), and the venue's own id for it (null when it
 * does not say): an order the engine adopts after its submit went unanswered is known at the venue by it.
 */
public record VenueOrderState(
        String clientOrderId,
        String symbol,
        Side side,
        boolean working,
        BigDecimal quantity,
        BigDecimal filledQuantity,
        BigDecimal price,
        List<VenueFill> trades,
        String venueOrderId) {}
