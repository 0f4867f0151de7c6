package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The state of one instrument's market at a venue: the touch, the spread in basis points of the mid, the best levels
 * of each side (best first), and the order-book imbalance of those levels ({@code (bid qty - ask qty) / (bid qty +
 * ask qty)}, from -1 to 1).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MarketSnapshot(
        String symbol,
        String venue,
        BigDecimal bid,
        BigDecimal ask,
        BigDecimal mid,
        BigDecimal spreadBps,
        BigDecimal imbalance,
        List<Level> bids,
        List<Level> asks,
        Instant time) {

    /** One price level: its price and the quantity resting there. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Level(BigDecimal price, BigDecimal quantity) {}
}
