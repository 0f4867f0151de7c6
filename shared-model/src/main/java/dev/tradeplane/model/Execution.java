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

    /** What is wrong with it (defaults filled in), field by field; empty when it can be used. Engine and OPS both check with it. */
    public java.util.List<FieldError> errors() {
        Execution d = withDefaults();
        java.util.List<FieldError> out = new java.util.ArrayList<>();
        if (d.algo() == null) {
            out.add(new FieldError("execution.algo", "is required: CHASE_LIMIT"));
        }
        if (d.repriceTicks() < 0 || d.repriceTicks() > 1000) {
            out.add(new FieldError("execution.reprice_ticks", "between 0 and 1000"));
        }
        if (d.maxChaseBps().signum() <= 0 || d.maxChaseBps().compareTo(BigDecimal.valueOf(1000)) > 0) {
            out.add(new FieldError("execution.max_chase_bps", "above 0 and at most 1000"));
        }
        if (d.deadlineSeconds() < 1 || d.deadlineSeconds() > 86_400) {
            out.add(new FieldError("execution.deadline_seconds", "between 1 and 86400"));
        }
        return out;
    }

    /** The same execution with every default filled in. */
    public Execution withDefaults() {
        return new Execution(algo, repriceTicks == null ? DEFAULT_REPRICE_TICKS : repriceTicks, maxChaseBps == null ? DEFAULT_MAX_CHASE_BPS : maxChaseBps,
                deadlineSeconds == null ? DEFAULT_DEADLINE_SECONDS : deadlineSeconds, fallback == null ? Fallback.MARKET : fallback);
    }
}
