package dev.tradeplane.engine.risk;

import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.RiskLimits;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The limits that apply to one order (a venue, a model, a symbol): for each limit, the most specific scope that sets
 * it wins: symbol, then model, then venue, then global. Per-model and per-venue limits (rate, open orders, exposure,
 * daily loss) are also resolved for the model's and the venue's own scope, where only model (or venue) and global
 * count.
 */
public final class EffectiveLimits {

    private final RiskLimits limits;

    public EffectiveLimits(RiskLimits limits) {
        this.limits = limits;
    }

    public RiskLimits document() {
        return limits;
    }

    /** The value for an order on {@code id} by {@code model}: symbol, then model, then venue, then global. */
    public <T> T forOrder(InstrumentId id, String model, Function<LimitSet, T> field) {
        return first(field, get(limits.symbols(), id.toString()), get(limits.models(), model), get(limits.venues(), id.venue()),
                limits.global());
    }

    /** The value for a model's own scope (its rate bucket, open orders, exposure, losses): model, then global. */
    public <T> T forModel(String model, Function<LimitSet, T> field) {
        return first(field, get(limits.models(), model), limits.global());
    }

    /** The value for a venue's own scope: venue, then global. */
    public <T> T forVenue(String venue, Function<LimitSet, T> field) {
        return first(field, get(limits.venues(), venue), limits.global());
    }

    /** True when no scope that applies denies the symbol and the most specific allowlist (if any) has it. */
    public boolean allows(InstrumentId id, String model) {
        String symbol = id.toString();
        for (LimitSet set : List.of(get(limits.symbols(), symbol), get(limits.models(), model), get(limits.venues(), id.venue()),
                orNone(limits.global()))) {
            if (set.deniedSymbols() != null && set.deniedSymbols().stream().anyMatch(s -> s.toUpperCase(Locale.ROOT).equals(symbol))) {
                return false;
            }
        }
        List<String> allowed = forOrder(id, model, LimitSet::allowedSymbols);
        return allowed == null || allowed.stream().anyMatch(s -> s.toUpperCase(Locale.ROOT).equals(symbol));
    }

    @SafeVarargs
    private static <T> T first(Function<LimitSet, T> field, LimitSet... sets) {
        for (LimitSet set : sets) {
            if (set != null) {
                T value = field.apply(set);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    private static LimitSet get(Map<String, LimitSet> map, String key) {
        return map == null ? LimitSet.NONE : Objects.requireNonNullElse(map.get(key), LimitSet.NONE);
    }

    private static LimitSet orNone(LimitSet set) {
        return set == null ? LimitSet.NONE : set;
    }

    /** A limit that is absent means no limit. */
    public static boolean exceeds(BigDecimal value, BigDecimal limit) {
        return limit != null && value.compareTo(limit) > 0;
    }
}
