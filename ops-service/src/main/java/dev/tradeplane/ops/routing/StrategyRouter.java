package dev.tradeplane.ops.routing;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RejectReason;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Picks the model a signal trades for. A signal that names a model goes to it if that model may trade; otherwise
 * one of the tradable models with a positive weight is drawn at random in proportion to its weight. The random
 * source is seedable ({@code tradeplane.router.seed}), so a test can fix the sequence of picks.
 */
@Singleton
public class StrategyRouter {

    private final ModelRepository models;
    private final StrategyWeights weights;
    private final Random random;

    @jakarta.inject.Inject
    public StrategyRouter(ModelRepository models, StrategyWeights weights, RouterConfig config) {
        this.models = models;
        this.weights = weights;
        this.random = config.seed().isPresent() ? new Random(config.seed().getAsLong()) : new Random();
    }

    /** A router without weight overrides (tests). */
    StrategyRouter(ModelRepository models, RouterConfig config) {
        this(models, null, config);
    }

    /** The chosen model for a signal on {@code instrument}; a 400 for an unknown model, a 422 when none may trade it. */
    public Uni<Model> route(Optional<String> requested, InstrumentId instrument) {
        return models.all().map(registry -> {
            List<Model> all = weights == null ? registry : weights.apply(registry);
            return requested.map(name -> named(all, name, instrument)).orElseGet(() -> draw(all, instrument));
        });
    }

    private static Model named(List<Model> all, String name, InstrumentId instrument) {
        Model model = all.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> Problems.invalid("model", "unknown model " + name + "; see GET /models"));
        if (!model.status().tradable()) {
            throw Problems.rejected(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", RejectReason.MODEL_NOT_ENABLED,
                    "model " + name + " is " + model.status().dbValue() + (model.statusReason() == null ? "" : " (" + model.statusReason() + ")")
                            + "; only canary and active models trade", null, null);
        }
        if (!model.mayTrade(instrument)) {
            throw Problems.rejected(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", RejectReason.MODEL_SCOPE,
                    "model " + name + " may not trade " + instrument + " (its venues: " + open(model.venues()) + ", symbols: "
                            + open(model.symbols()) + ")", null, null);
        }
        return model;
    }

    private static String open(List<String> values) {
        return values == null ? "any" : String.join(", ", values);
    }

    /** Weighted draw over the models that may trade the instrument; the cumulative walk is over exact decimal weights. */
    Model draw(List<Model> all, InstrumentId instrument) {
        List<Model> eligible = all.stream().filter(m -> m.status().tradable() && m.weight().signum() > 0 && m.mayTrade(instrument)).toList();
        if (eligible.isEmpty()) {
            throw Problems.rejected(ProblemTypes.SIGNAL_REJECTED, "Signal rejected", RejectReason.NO_ELIGIBLE_MODEL,
                    "no canary or active model with a positive weight may trade " + instrument, null, null);
        }
        BigDecimal total = eligible.stream().map(Model::weight).reduce(BigDecimal.ZERO, BigDecimal::add);
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        BigDecimal point = total.multiply(BigDecimal.valueOf(u));
        BigDecimal cumulative = BigDecimal.ZERO;
        for (Model model : eligible) {
            cumulative = cumulative.add(model.weight());
            if (point.compareTo(cumulative) < 0) {
                return model;
            }
        }
        return eligible.get(eligible.size() - 1);
    }
}
