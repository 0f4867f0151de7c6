package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as the engine knows it. {@code triggerPrice} is the price a stop fires at (for a trailing stop, where it
 * stands now); {@code parentId}, {@code children} and {@code ocoPartnerId} tie contingent orders together;
 * {@code fills} is given by {@code GET /orders/{id}} only. {@code cancelRequestedAt} is when a cancel of it was first
 * asked for (null if never): the status cannot always say so (an order whose replace the venue did not answer stays
 * {@code PENDING_REPLACE} under a cancel, one whose cancel the venue refused is working again).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Order(
        String id,
        String clientOrderId,
        String symbol,
        String venue,
        Side side,
        OrderType type,
        TimeInForce timeInForce,
        BigDecimal quantity,
        BigDecimal price,
        BigDecimal stopPrice,
        BigDecimal trailingOffset,
        BigDecimal trailingOffsetBps,
        BigDecimal limitOffset,
        BigDecimal triggerPrice,
        Instant triggeredAt,
        Boolean postOnly,
        Instant expireAt,
        BigDecimal filledQuantity,
        BigDecimal averagePrice,
        BigDecimal fees,
        OrderStatus status,
        RejectReason rejectReason,
        String rejectDetail,
        String model,
        ContingencyType contingency,
        String parentId,
        List<String> children,
        String ocoPartnerId,
        List<Fill> fills,
        Instant cancelRequestedAt,
        Instant createdAt,
        Instant updatedAt) {

    /** The same order with its fills. */
    public Order withFills(List<Fill> newFills) {
        return new Order(id, clientOrderId, symbol, venue, side, type, timeInForce, quantity, price, stopPrice, trailingOffset,
                trailingOffsetBps, limitOffset, triggerPrice, triggeredAt, postOnly, expireAt, filledQuantity, averagePrice, fees,
                status, rejectReason, rejectDetail, model, contingency, parentId, children, ocoPartnerId, newFills,
                cancelRequestedAt, createdAt, updatedAt);
    }
}
