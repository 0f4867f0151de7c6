package dev.tradeplane.engine.order;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A new-order request that passed validation: every field present and in range for its type, defaults applied.
 * Exactly one of {@code quantity} and {@code quoteQuantity} is set.
 */
public record ValidOrder(
        String clientOrderId,
        InstrumentId instrument,
        Instrument rules,
        Side side,
        OrderType type,
        TimeInForce timeInForce,
        BigDecimal quantity,
        BigDecimal quoteQuantity,
        BigDecimal price,
        BigDecimal stopPrice,
        BigDecimal trailingOffset,
        BigDecimal trailingOffsetBps,
        BigDecimal limitOffset,
        boolean postOnly,
        Instant expireAt,
        String model) {}
