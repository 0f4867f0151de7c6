package dev.tradeplane.ops.config;

/**
 * One setting as in force: its key, its value, and the layer it came from ({@code default}, {@code config} (the
 * service's configuration: properties, environment), {@code capital_policy.json}, {@code strategy_weights.json},
 * {@code registry}, {@code live allocation}); {@code error} when a higher layer's value was refused.
 */
public record EffectiveSetting(String key, String value, String layer, String error) {

    public static EffectiveSetting of(String key, Object value, String layer) {
        return new EffectiveSetting(key, value == null ? null : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString(),
                layer, null);
    }
}
