package dev.tradeplane.ops.config;

import dev.tradeplane.ops.allocation.AllocationService;
import dev.tradeplane.ops.allocation.CapitalPolicy;
import dev.tradeplane.ops.canary.CanaryConfig;
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
 * service's configuration, {@code capital_policy.json}, {@code strategy_weights.json} (over the registry's weights),
 * then the live allocation.
 */
@Singleton
public class EffectiveConfig {

    private final CapitalPolicy capital;
    private final CanaryConfig canary;
    private final StrategyWeights weights;
    private final ModelRepository models;
    private final AllocationService allocations;
    private final ConfigFiles files;

    public EffectiveConfig(CapitalPolicy capital, CanaryConfig canary, StrategyWeights weights, ModelRepository models,
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
        for (String file : List.of(ConfigFiles.CAPITAL_POLICY, ConfigFiles.STRATEGY_WEIGHTS)) {
            files.error(file).ifPresent(e -> out.add(new EffectiveSetting("config.file." + file, "refused", file, e)));
        }
        out.addAll(capital.effective());
        out.add(EffectiveSetting.of("canary.weight_fraction", canary.weightFraction(), Layers.of("tradeplane.canary.weight-fraction")));
        out.add(EffectiveSetting.of("canary.interval", canary.interval(), Layers.of("tradeplane.canary.interval")));
        out.add(EffectiveSetting.of("canary.min_trades", canary.minTrades(), Layers.of("tradeplane.canary.min-trades")));
        out.add(EffectiveSetting.of("canary.min_age", canary.minAge(), Layers.of("tradeplane.canary.min-age")));
        out.add(EffectiveSetting.of("canary.promote_sharpe", canary.promoteSharpe(), Layers.of("tradeplane.canary.promote-sharpe")));
        out.add(EffectiveSetting.of("canary.promote_max_drawdown_pct", canary.promoteMaxDrawdownPct(),
                Layers.of("tradeplane.canary.promote-max-drawdown-pct")));
        out.add(EffectiveSetting.of("canary.promote_win_rate", canary.promoteWinRate(), Layers.of("tradeplane.canary.promote-win-rate")));
        out.add(EffectiveSetting.of("canary.demote_sharpe", canary.demoteSharpe(), Layers.of("tradeplane.canary.demote-sharpe")));
        out.add(EffectiveSetting.of("canary.demote_max_drawdown_pct", canary.demoteMaxDrawdownPct(),
                Layers.of("tradeplane.canary.demote-max-drawdown-pct")));
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
