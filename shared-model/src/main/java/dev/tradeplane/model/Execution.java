package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * How an order is worked, when not sent as it is ({@code "execution"} of an order or a signal). {@code CHASE_LIMIT}:
 * a post-only limit order at the best price of its side, re-priced to the best price whenever the market moves away
 * by more than {@code reprice_ticks}, as long as that is within {@code max_chase_bps} of the mid at arrival and before
 * {@code deadline_seconds}; then the rest is sent as a market order ({@code fallback} {@code MARKET}) or canceled
 * ({@code CANCEL}). Unset fields take the defaults: 1 tick, 25 bps, 30 s, MARKET.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Execution(Algo algo, Integer repriceTicks, BigDecimal maxChaseBps, Integer deadlineSeconds, Fallback fallback) {

    public enum Algo { CHASE_LIMIT }

    public enum Fallback { MARKET, CANCEL }

    public static final int DEFAULT_REPRICE_TICKS = 1;
    public static final BigDecimal DEFAULT_MAX_CHASE_BPS = BigDecimal.valueOf(25);
    public static final int DEFAULT_DEADLINE_SECONDS = 30;

    /** The same execution with every default filled in. */
    public Execution withDefaults() {
        return new Execution(algo, repriceTicks == null ? DEFAULT_REPRICE_TICKS : repriceTicks, maxChaseBps == null ? DEFAULT_MAX_CHASE_BPS : maxChaseBps,
                deadlineSeconds == null ? DEFAULT_DEADLINE_SECONDS : deadlineSeconds, fallback == null ? Fallback.MARKET : fallback);
    }
}
