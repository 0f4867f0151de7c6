package dev.tradeplane.engine.order;

import dev.tradeplane.model.ContingencyType;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** What an order was asked to be: everything about it that a replace does not change. */
public record OrderSpec(
        UUID id,
        String clientOrderId,
        InstrumentId instrument,
        Side side,
        OrderType type,
        TimeInForce timeInForce,
        BigDecimal quoteQuantity,
        BigDecimal trailingOffset,
        BigDecimal trailingOffsetBps,
        BigDecimal limitOffset,
        boolean postOnly,
        Instant expireAt,
        String model,
        ContingencyType contingency,
        UUID parentId,
        Instant createdAt) {}
