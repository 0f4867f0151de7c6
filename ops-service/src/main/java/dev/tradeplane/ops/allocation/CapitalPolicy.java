package dev.tradeplane.ops.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.canary.CanaryPolicy;
import dev.tradeplane.ops.config.ConfigFiles;
import dev.tradeplane.ops.config.EffectiveSetting;
import dev.tradeplane.ops.config.Layers;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The capital policy in force: each key from {@code capital_policy.json} when the file sets it (and the value is
 * valid), else from the service's configuration ({@code tradeplane.allocator.*}), else the default in code.
 */
@Singleton
public class CapitalPolicy {

    private static final Logger LOG = Logger.getLogger(CapitalPolicy.class);
    private static final double SECONDS_PER_YEAR = 365.25 * 24 * 3600;
    static final Set<String> KEYS = Set.of("method", "min_share", "max_share", "cooldown", "min_samples", "volatility_threshold", "damping",
            "kelly_fraction", "on_over_budget");

    private final AllocatorConfig config;
    private final CanaryPolicy canary;
    private final ConfigFiles files;

    public CapitalPolicy(AllocatorConfig config, CanaryPolicy canary, ConfigFiles files) {
        this.config = config;
        this.canary = canary;
        this.files = files;
    }

    public AllocationPolicy current() {
        return resolve(null);
    }

    /** Every key of the policy with its value and layer. */
    public List<EffectiveSetting> effective() {
        List<EffectiveSetting> out = new ArrayList<>();
        resolve(out);
        out.add(EffectiveSetting.of("allocator.interval", config.interval(), Layers.of("tradeplane.allocator.interval")));
        out.add(EffectiveSetting.of("allocator.window", config.window(), Layers.of("tradeplane.allocator.window")));
        out.add(EffectiveSetting.of("allocator.enabled", config.enabled(), Layers.of("tradeplane.allocator.enabled")));
        return out;
    }

    private AllocationPolicy resolve(List<EffectiveSetting> report) {
        JsonNode file = files.read(ConfigFiles.CAPITAL_POLICY).orElse(null);
        if (file != null && report != null) {
            for (Iterator<String> it = file.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    report.add(new EffectiveSetting("allocator." + key, file.get(key).asText(), ConfigFiles.CAPITAL_POLICY,
                            "unknown key, ignored; known: " + String.join(", ", KEYS.stream().sorted().toList())));
                }
            }
        }
        AllocationMethod method = pick(file, report, "method", "tradeplane.allocator.method", config.method(),
                v -> AllocationMethod.valueOf(v.toUpperCase(Locale.ROOT)));
        BigDecimal minShare = pick(file, report, "min_share", "tradeplane.allocator.min-share", config.minShare(), CapitalPolicy::fraction);
        BigDecimal maxShare = pick(file, report, "max_share", "tradeplane.allocator.max-share", config.maxShare(), CapitalPolicy::fraction);
        if (minShare.compareTo(maxShare) > 0) {
            LOG.warnf("min_share %s is above max_share %s: min_share taken as 0", minShare, maxShare);
            minShare = BigDecimal.ZERO;
        }
        Duration cooldown = pick(file, report, "cooldown", "tradeplane.allocator.cooldown", config.cooldown(), CapitalPolicy::duration);
        int minSamples = pick(file, report, "min_samples", "tradeplane.allocator.min-samples", config.minSamples(), v -> {
            int n = Integer.parseInt(v);
            if (n < 2) {
                throw new IllegalArgumentException("at least 2");
            }
            return n;
        });
        BigDecimal threshold = pick(file, report, "volatility_threshold", "tradeplane.allocator.volatility-threshold",
                config.volatilityThreshold(), CapitalPolicy::positive);
        BigDecimal damping = pick(file, report, "damping", "tradeplane.allocator.damping", config.damping(), CapitalPolicy::fraction);
        BigDecimal kelly = pick(file, report, "kelly_fraction", "tradeplane.allocator.kelly-fraction", config.kellyFraction(), CapitalPolicy::fraction);
        OverBudget over = pick(file, report, "on_over_budget", "tradeplane.allocator.on-over-budget", config.onOverBudget(),
                v -> OverBudget.valueOf(v.toUpperCase(Locale.ROOT)));
        return new AllocationPolicy(method, minShare, maxShare, cooldown, minSamples, threshold, damping, kelly, canary.weightFraction(),
                SECONDS_PER_YEAR / Math.max(1, config.interval().toSeconds()), over);
    }

    private static <T> T pick(JsonNode file, List<EffectiveSetting> report, String key, String configKey, T configured, Function<String, T> parse) {
        JsonNode node = file == null ? null : file.get(key);
        if (node != null && !node.isNull()) {
            try {
                T value = parse.apply(node.asText());
                if (report != null) {
                    report.add(EffectiveSetting.of("allocator." + key, value, ConfigFiles.CAPITAL_POLICY));
                }
                return value;
            } catch (RuntimeException e) {
                LOG.errorf("%s: %s = %s is refused (%s); the configured value stays", ConfigFiles.CAPITAL_POLICY, key, node.asText(), e.getMessage());
                if (report != null) {
                    report.add(new EffectiveSetting("allocator." + key, string(configured), Layers.of(configKey),
                            ConfigFiles.CAPITAL_POLICY + " value " + node.asText() + " refused: " + e.getMessage()));
                }
                return configured;
            }
        }
        if (report != null) {
            report.add(EffectiveSetting.of("allocator." + key, configured, Layers.of(configKey)));
        }
        return configured;
    }

    private static String string(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
    }

    private static BigDecimal fraction(String v) {
        BigDecimal d = new BigDecimal(v);
        if (d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("must be between 0 and 1");
        }
        return d;
    }

    private static BigDecimal positive(String v) {
        BigDecimal d = new BigDecimal(v);
        if (d.signum() <= 0) {
            throw new IllegalArgumentException("must be above 0");
        }
        return d;
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT5M}). */
    public static Duration duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        Map<String, Duration> units = Map.of("ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1),
                "h", Duration.ofHours(1), "d", Duration.ofDays(1));
        for (String unit : List.of("ms", "s", "m", "h", "d")) {
            if (s.endsWith(unit) && s.length() > unit.length() && s.substring(0, s.length() - unit.length()).chars().allMatch(Character::isDigit)) {
                return units.get(unit).multipliedBy(Long.parseLong(s.substring(0, s.length() - unit.length())));
            }
        }
        return Duration.parse(v.trim().toUpperCase(Locale.ROOT));
    }
}
