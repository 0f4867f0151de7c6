package dev.tradeplane.ops.routing;

import java.util.Locale;

/** Where a model is in its life. Only canary and active models receive signals. */
public enum ModelStatus {
    CANDIDATE,
    CANARY,
    ACTIVE,
    PAUSED,
    RETIRED;

    public boolean tradable() {
        return this == CANARY || this == ACTIVE;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
