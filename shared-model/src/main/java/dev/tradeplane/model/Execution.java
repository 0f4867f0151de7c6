package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * How an order is worked, when not sent as it is ({@code "execution"} of an order or a signal). {@code CHASE_LIMIT}:
 * a post-only limit order at the best price of its side, re-priced to the best price whenever the market moves away
 * by more than {@code reprice_ticks}, as long as that is within {@code max_chase_bps} of the mid at arrival and before
 * {@code deadline_seconds}; then the rest is sent as a market order ({@code fallback} {@code MARKET}) or canceled
 * ({@code CANCEL}). Unset fields take the defaults: 1 tick, 25 bps, 30 s, MARKET. {@code reprice_ticks} 0 re-prices
 * on any move away. {@code reprice_ticks} and {@code deadline_seconds} are whole numbers ({@code 2.7} is refused, not
 * truncated); {@code max_chase_bps} has at most {@value #MAX_CHASE_BPS_SCALE} decimals.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Execution(Algo algo, @JsonDeserialize(using = WholeNumber.class) Integer repriceTicks, BigDecimal maxChaseBps,
                        @JsonDeserialize(using = WholeNumber.class) Integer deadlineSeconds, Fallback fallback) {

    public enum Algo { CHASE_LIMIT }

    public enum Fallback { MARKET, CANCEL }

    public static final int DEFAULT_REPRICE_TICKS = 1;
    public static final BigDecimal DEFAULT_MAX_CHASE_BPS = BigDecimal.valueOf(25);
    public static final int DEFAULT_DEADLINE_SECONDS = 30;
    /** Decimals {@code max_chase_bps} may have (a ten-thousandth of a basis point). */
    public static final int MAX_CHASE_BPS_SCALE = 4;
    private static final BigDecimal MAX_CHASE_BPS = BigDecimal.valueOf(1000);

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
        // Range first, with checks that never expand the value: 1e-999999999 must not reach toPlainString (the
        // request hash, the stored JSON), which would build a billion-digit string.
        BigDecimal bps = d.maxChaseBps();
        if (!Decimals.fits(bps) || bps.signum() <= 0 || bps.compareTo(MAX_CHASE_BPS) > 0
                || bps.stripTrailingZeros().scale() > MAX_CHASE_BPS_SCALE) {
            out.add(new FieldError("execution.max_chase_bps", "above 0 and at most 1000, with at most " + MAX_CHASE_BPS_SCALE + " decimals"));
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
