package dev.tradeplane.common.web;

import dev.tradeplane.common.problem.Problems;

/**
 * Whole-number query parameters, taken as text: JAX-RS answers a number it cannot convert with a 404, as if the path
 * were wrong; these answer 400 naming the parameter and its range instead.
 */
public final class WholeParams {

    private WholeParams() {}

    /** {@code value} as an int in {@code [min, max]}, or {@code absent} when not given. */
    public static int of(String name, String value, int absent, int min, int max) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        long n = parse(name, value, " between " + min + " and " + max);
        if (n < min || n > max) {
            throw Problems.invalid(name, "must be between " + min + " and " + max);
        }
        return (int) n;
    }

    /** {@code value} as a long, or null when not given. */
    public static Long ofLong(String name, String value) {
        return value == null || value.isBlank() ? null : parse(name, value, "");
    }

    private static long parse(String name, String value, String range) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw Problems.invalid(name, "must be a whole number" + range);
        }
    }
}
