package dev.tradeplane.engine.instrument;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Arithmetic against a venue's price and quantity steps (tick size, lot size), in one place. */
public final class Steps {

    private Steps() {}

    /** True when {@code value} is a whole number of {@code step}s. */
    public static boolean isMultiple(BigDecimal value, BigDecimal step) {
        return value.remainder(step).signum() == 0;
    }

    /** The largest multiple of {@code step} not above {@code value} (for positive values). */
    public static BigDecimal floor(BigDecimal value, BigDecimal step) {
        return value.divide(step, 0, RoundingMode.FLOOR).multiply(step).setScale(Math.max(step.scale(), 0), RoundingMode.UNNECESSARY);
    }

    /** How many steps {@code value} is; {@code value} must be a multiple. */
    public static long count(BigDecimal value, BigDecimal step) {
        return value.divide(step, 0, RoundingMode.UNNECESSARY).longValueExact();
    }

    /** {@code count} steps as a decimal with the step's scale. */
    public static BigDecimal times(long count, BigDecimal step) {
        return step.multiply(BigDecimal.valueOf(count));
    }
}
