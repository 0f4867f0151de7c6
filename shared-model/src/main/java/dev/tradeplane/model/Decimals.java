package dev.tradeplane.model;

import java.math.BigDecimal;

/**
 * The range of decimals the platform stores: {@code numeric(38,18)} in PostgreSQL, so at most 20 digits
 * before the point and 18 after. Checked at the edge before any arithmetic, so a hostile {@code 1e999999999}
 * never reaches code that would expand it.
 */
public final class Decimals {
    public static final int MAX_INTEGER_DIGITS = 20;
    public static final int MAX_SCALE = 18;

    private Decimals() {}

    /** True when the value is storable without rounding. */
    public static boolean fits(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        // precision - scale = digits before the point (may be negative for 0.00x); cheap, no expansion.
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            return false;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() <= MAX_SCALE;
    }

    /** What is wrong with a value that must be a storable positive decimal, or null when nothing is. */
    public static String positiveProblem(BigDecimal value) {
        if (!fits(value)) {
            return "is out of range: at most " + MAX_INTEGER_DIGITS + " digits before the point and " + MAX_SCALE + " after";
        }
        return value.signum() <= 0 ? "must be greater than zero" : null;
    }
}
