package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The state of one instrument's market at a venue: the touch, the spread in basis points of the mid, the best levels
 * of each side (best first), the order-book imbalance of those levels ({@code (bid qty - ask qty) / (bid qty +
 * ask qty)}, from -1 to 1), the depth of each side within {@code depth_bps} of the mid (base quantity), the last trade,
 * and how old the touch is ({@code age_ms}, from {@code time}). {@code book_synced} is false while the venue's book
 * is being synchronized again (after a sequence gap or a reconnection): the levels are then empty, the depths and
 * imbalance null, and the touch the last one known, growing older. {@code sequence} is the venue's update id the book
 * stands at, where the venue numbers its updates (Binance's {@code lastUpdateId}); null where it does not.
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
        Instant time,
        BigDecimal depthBps,
        BigDecimal bidDepth,
        BigDecimal askDepth,
        Trade lastTrade,
        Long ageMs,
        Boolean bookSynced,
        Long sequence) {

    /** A trade: price, quantity, the aggressor's side ({@code BUY} when a buyer took the ask), and when. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Trade(BigDecimal price, BigDecimal quantity, Side side, Instant time) {}


    /** One price level: its price and the quantity resting there. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Level(BigDecimal price, BigDecimal quantity) {}
}
