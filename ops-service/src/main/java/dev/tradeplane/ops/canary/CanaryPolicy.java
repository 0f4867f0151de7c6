package dev.tradeplane.ops.canary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.allocation.CapitalPolicy;
import dev.tradeplane.ops.config.ConfigFiles;
import dev.tradeplane.ops.config.EffectiveSetting;
import dev.tradeplane.ops.config.Layers;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The canary thresholds in force: the {@code canary:} section of {@code policies.yaml} in the configuration
 * directory, over the service's configuration ({@code tradeplane.canary.*}), over the defaults in code. Read at each
 * use, so a change to the file takes effect at the next judgement; a value the file gets wrong is refused with a log
 * line and the layer below stays in force.
 */
@Singleton
public class CanaryPolicy {

    private static final Logger LOG = Logger.getLogger(CanaryPolicy.class);
    static final Set<String> KEYS = Set.of("weight_fraction", "min_trades", "min_age", "promote_sharpe", "promote_max_drawdown_pct",
            "promote_win_rate", "demote_sharpe", "demote_max_drawdown_pct");

    private final CanaryConfig config;
    private final ConfigFiles files;

    public CanaryPolicy(CanaryConfig config, ConfigFiles files) {
        this.config = config;
        this.files = files;
    }

    public BigDecimal weightFraction() {
        return pick("weight_fraction", "tradeplane.canary.weight-fraction", config.weightFraction(), CanaryPolicy::fraction, null);
    }

    public int minTrades() {
        return pick("min_trades", "tradeplane.canary.min-trades", config.minTrades(), CanaryPolicy::count, null);
    }

    public Duration minAge() {
        return pick("min_age", "tradeplane.canary.min-age", config.minAge(), CapitalPolicy::duration, null);
    }

    public BigDecimal promoteSharpe() {
        return pick("promote_sharpe", "tradeplane.canary.promote-sharpe", config.promoteSharpe(), BigDecimal::new, null);
    }

    public BigDecimal promoteMaxDrawdownPct() {
        return pick("promote_max_drawdown_pct", "tradeplane.canary.promote-max-drawdown-pct", config.promoteMaxDrawdownPct(),
                CanaryPolicy::percent, null);
    }

    public BigDecimal promoteWinRate() {
        return pick("promote_win_rate", "tradeplane.canary.promote-win-rate", config.promoteWinRate(), CanaryPolicy::fraction, null);
    }

    public BigDecimal demoteSharpe() {
        return pick("demote_sharpe", "tradeplane.canary.demote-sharpe", config.demoteSharpe(), BigDecimal::new, null);
    }

    public BigDecimal demoteMaxDrawdownPct() {
        return pick("demote_max_drawdown_pct", "tradeplane.canary.demote-max-drawdown-pct", config.demoteMaxDrawdownPct(),
                CanaryPolicy::percent, null);
    }

    public Duration interval() {
        return config.interval();
    }

    /** Every canary setting with its value and the layer it came from. */
    public List<EffectiveSetting> effective() {
        List<EffectiveSetting> out = new ArrayList<>();
        JsonNode section = section();
        if (section != null) {
            for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    out.add(new EffectiveSetting("canary." + key, section.get(key).asText(), ConfigFiles.POLICIES,
                            "unknown key, ignored; known: " + String.join(", ", KEYS.stream().sorted().toList())));
                }
            }
        }
        pick("weight_fraction", "tradeplane.canary.weight-fraction", config.weightFraction(), CanaryPolicy::fraction, out);
        out.add(EffectiveSetting.of("canary.interval", config.interval(), Layers.of("tradeplane.canary.interval")));
        pick("min_trades", "tradeplane.canary.min-trades", config.minTrades(), CanaryPolicy::count, out);
        pick("min_age", "tradeplane.canary.min-age", config.minAge(), CapitalPolicy::duration, out);
        pick("promote_sharpe", "tradeplane.canary.promote-sharpe", config.promoteSharpe(), BigDecimal::new, out);
        pick("promote_max_drawdown_pct", "tradeplane.canary.promote-max-drawdown-pct", config.promoteMaxDrawdownPct(), CanaryPolicy::percent, out);
        pick("promote_win_rate", "tradeplane.canary.promote-win-rate", config.promoteWinRate(), CanaryPolicy::fraction, out);
        pick("demote_sharpe", "tradeplane.canary.demote-sharpe", config.demoteSharpe(), BigDecimal::new, out);
        pick("demote_max_drawdown_pct", "tradeplane.canary.demote-max-drawdown-pct", config.demoteMaxDrawdownPct(), CanaryPolicy::percent, out);
        return out;
    }

    private JsonNode section() {
        JsonNode file = files.read(ConfigFiles.POLICIES).orElse(null);
        JsonNode canary = file == null ? null : file.get("canary");
        return canary != null && canary.isObject() ? canary : null;
    }

    private <T> T pick(String key, String configKey, T configured, Function<String, T> parse, List<EffectiveSetting> report) {
        JsonNode section = section();
        JsonNode node = section == null ? null : section.get(key);
        if (node != null && !node.isNull() && node.isValueNode()) {
            try {
                T value = parse.apply(node.asText());
                if (report != null) {
                    report.add(EffectiveSetting.of("canary." + key, value, ConfigFiles.POLICIES));
                }
                return value;
            } catch (RuntimeException e) {
                if (report != null) {
                    report.add(new EffectiveSetting("canary." + key, String.valueOf(configured instanceof BigDecimal d ? d.toPlainString() : configured),
                            Layers.of(configKey), ConfigFiles.POLICIES + " value " + node.asText() + " refused: " + e.getMessage()));
                } else {
                    LOG.debugf("%s: canary.%s = %s is refused (%s)", ConfigFiles.POLICIES, key, node.asText(), e.getMessage());
                }
                return configured;
            }
        }
        if (report != null) {
            report.add(EffectiveSetting.of("canary." + key, configured, Layers.of(configKey)));
        }
        return configured;
    }

    private static BigDecimal fraction(String v) {
        BigDecimal d = new BigDecimal(v);
        if (d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("must be between 0 and 1");
        }
        return d;
    }

    private static BigDecimal percent(String v) {
        BigDecimal d = new BigDecimal(v);
        if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("must be between 0 and 100");
        }
        return d;
    }

    private static int count(String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException("at least 1");
        }
        return n;
    }
}
