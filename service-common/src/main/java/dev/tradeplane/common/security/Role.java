package dev.tradeplane.common.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, each role including the ones before it: read everything; also trade (signals, orders);
 * also operate (manage models, pause and resume trading, run reconciliation); also administer (risk limits, the kill
 * switch, policies).
 */
public enum Role {
    READ_ONLY,
    TRADER,
    OPS,
    ADMIN;

    /** The request property the authenticated caller is kept in. */
    public static final String PROPERTY = "tradeplane.caller";

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The name used in JWT {@code groups} and in the docs: {@code read-only}, {@code trader}, {@code ops}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Role> fromWire(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
