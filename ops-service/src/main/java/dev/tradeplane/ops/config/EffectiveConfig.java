package dev.tradeplane.ops.config;

import dev.tradeplane.ops.allocation.AllocationService;
import dev.tradeplane.ops.allocation.CapitalPolicy;
import dev.tradeplane.ops.canary.CanaryPolicy;
import dev.tradeplane.ops.routing.ModelRepository;
import dev.tradeplane.ops.routing.StrategyWeights;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control plane's settings in force, each with the layer it came from, lowest first: defaults in code, the
 * service's configuration, {@code policies.yaml} (canary thresholds), {@code capital_policy.json},
 * {@code strategy_weights.json} (over the registry's weights), then the live allocation.
 */
@Singleton
public class EffectiveConfig {

    private final CapitalPolicy capital;
    private final CanaryPolicy canary;
    private final StrategyWeights weights;
    private final ModelRepository models;
    private final AllocationService allocations;
    private final ConfigFiles files;

    public EffectiveConfig(CapitalPolicy capital, CanaryPolicy canary, StrategyWeights weights, ModelRepository models,
                           AllocationService allocations, ConfigFiles files) {
        this.capital = capital;
        this.canary = canary;
        this.weights = weights;
        this.models = models;
        this.allocations = allocations;
        this.files = files;
    }

    public Uni<List<EffectiveSetting>> all() {
        List<EffectiveSetting> out = new ArrayList<>();
        out.add(EffectiveSetting.of("config.dir", files.dir(), Layers.of("tradeplane.config.dir")));
        for (String file : List.of(ConfigFiles.POLICIES, ConfigFiles.CAPITAL_POLICY, ConfigFiles.STRATEGY_WEIGHTS)) {
            files.error(file).ifPresent(e -> out.add(new EffectiveSetting("config.file." + file, "refused", file, e)));
        }
        out.addAll(capital.effective());
        out.addAll(canary.effective());
        Map<String, BigDecimal> overrides = weights.overrides();
        return models.all().flatMap(all -> {
            all.forEach(m -> {
                BigDecimal file = overrides.get(m.name());
                out.add(file != null ? EffectiveSetting.of("weights." + m.name(), file, ConfigFiles.STRATEGY_WEIGHTS)
                        : EffectiveSetting.of("weights." + m.name(), m.targetWeight(), "registry"));
            });
            return allocations.view();
        }).map(live -> {
            if (live != null) {
                live.models().forEach(b -> {
                    out.add(EffectiveSetting.of("allocation." + b.model() + ".share", b.share(), "live allocation"));
                    out.add(EffectiveSetting.of("allocation." + b.model() + ".budget", b.budget(), "live allocation"));
                });
            }
            return out;
        });
    }
}
