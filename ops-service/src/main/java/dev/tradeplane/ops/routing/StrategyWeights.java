package dev.tradeplane.ops.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.canary.CanaryPolicy;
import dev.tradeplane.ops.config.ConfigFiles;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code strategy_weights.json}: target weights by model name ({@code {"trend-follower": "0.7"}}), layered over the
 * registry's. A model the file names routes at the file's weight (a canary at its fraction of it); the others keep
 * the registry's. A value that is not a non-negative number is refused with a log line, and the registry's stays.
 */
@Singleton
public class StrategyWeights {

    private static final Logger LOG = Logger.getLogger(StrategyWeights.class);

    private final ConfigFiles files;
    private final CanaryPolicy canary;

    public StrategyWeights(ConfigFiles files, CanaryPolicy canary) {
        this.files = files;
        this.canary = canary;
    }

    /** The target weights the file sets, by model. */
    public Map<String, BigDecimal> overrides() {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        JsonNode json = files.read(ConfigFiles.STRATEGY_WEIGHTS).orElse(null);
        if (json == null) {
            return out;
        }
        json.fields().forEachRemaining(e -> {
            try {
                BigDecimal w = new BigDecimal(e.getValue().asText());
                if (w.signum() < 0) {
                    throw new NumberFormatException("negative");
                }
                out.put(e.getKey(), w.stripTrailingZeros());
            } catch (NumberFormatException ex) {
                LOG.errorf("%s: the weight of %s (%s) is refused; the registry's stays", ConfigFiles.STRATEGY_WEIGHTS, e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** The models with the file's target weights applied. */
    public List<Model> apply(List<Model> models) {
        Map<String, BigDecimal> overrides = overrides();
        if (overrides.isEmpty()) {
            return models;
        }
        List<Model> out = new ArrayList<>(models.size());
        for (Model m : models) {
            BigDecimal target = overrides.get(m.name());
            out.add(target == null ? m : new Model(m.name(), m.status(), weight(m.status(), target), target, m.venues(), m.symbols(),
                    m.backtest(), m.owner(), m.pausedFrom(), m.createdAt(), m.updatedAt(), m.version(), m.statusReason(), m.execution()));
        }
        return out;
    }

    private BigDecimal weight(ModelStatus status, BigDecimal target) {
        return switch (status) {
            case ACTIVE -> target;
            case CANARY -> target.multiply(canary.weightFraction()).stripTrailingZeros();
            default -> BigDecimal.ZERO;
        };
    }
}
