package dev.tradeplane.ops.allocation;

import dev.tradeplane.ops.routing.ModelStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Divides the account between models: a pure function of the models' return series, the previous allocation, the
 * market's volatility and the policy, so it can be tested on known inputs. Steps: score each tradable model by the
 * method; a canary's score is cut to the canary fraction; normalize; apply the hard bounds; hold the share of a model
 * still in its cooldown; damp every share when the market is too volatile. Shares are exact decimals (6 places,
 * rounded down so they never add up to more than the account).
 */
public final class Allocator {

    static final int SCALE = 6;

    /** One model's inputs: its status, its returns per period (as a fraction of equity), and what it had before. */
    public record ModelInput(String name, ModelStatus status, double[] returns, BigDecimal priorSharpe, BigDecimal previousShare,
                             Instant lastChange) {}

    /** One model's share and why: its score, its live Sharpe (null without enough data), and a note (bound, cooldown). */
    public record ModelShare(String model, BigDecimal share, BigDecimal score, BigDecimal sharpe, int samples, List<String> notes) {}

    /** The allocation: a share per model (the rest of the account stays in cash), and whether volatility damped it. */
    public record Result(List<ModelShare> shares, boolean damped, BigDecimal volatility) {

        public BigDecimal shareOf(String model) {
            return shares.stream().filter(s -> s.model().equals(model)).map(ModelShare::share).findFirst().orElse(BigDecimal.ZERO);
        }
    }

    private Allocator() {}

    public static Result allocate(List<ModelInput> models, double volatility, Instant now, AllocationPolicy p) {
        List<ModelInput> eligible = models.stream().filter(m -> m.status().tradable()).toList();
        Map<String, List<String>> notes = new LinkedHashMap<>();
        models.forEach(m -> notes.put(m.name(), new ArrayList<>()));
        Map<String, Double> sharpe = new LinkedHashMap<>();
        for (ModelInput m : eligible) {
            if (m.returns().length >= p.minSamples()) {
                double s = Stats.sharpe(m.returns(), p.periodsPerYear());
                if (!Double.isNaN(s)) {
                    sharpe.put(m.name(), s);
                }
            }
        }
        Map<String, Double> score = scores(eligible, sharpe, p, notes);
        double canary = p.canaryFraction().doubleValue();
        for (ModelInput m : eligible) {
            if (m.status() == ModelStatus.CANARY) {
                score.put(m.name(), score.get(m.name()) * canary);
                notes.get(m.name()).add("canary: " + p.canaryFraction().toPlainString() + " of its score");
            }
        }
        Map<String, Double> share = new LinkedHashMap<>(score);
        boolean kelly = p.method() == AllocationMethod.KELLY;
        if (kelly) {
            bounds(share, p, false, notes);
        }
        double total = share.values().stream().mapToDouble(Double::doubleValue).sum();
        if (!kelly || total > 1) {
            if (total <= 0) {
                eligible.forEach(m -> share.put(m.name(), m.status() == ModelStatus.CANARY ? canary : 1.0));
                eligible.forEach(m -> notes.get(m.name()).add("no model scored above 0: equal shares"));
                total = share.values().stream().mapToDouble(Double::doubleValue).sum();
            }
            double sum = total;
            share.replaceAll((k, v) -> sum == 0 ? 0 : v / sum);
        }
        bounds(share, p, !kelly, notes);
        java.util.Set<String> held = cooldown(share, eligible, now, p, !kelly, notes);
        boolean damped = volatility > p.volatilityThreshold().doubleValue();
        if (damped) {
            // A held share is the one it had, damping included: damping it again would halve it every round.
            share.replaceAll((k, v) -> held.contains(k) ? v : v * p.damping().doubleValue());
            share.keySet().stream().filter(k -> !held.contains(k))
                    .forEach(k -> notes.get(k).add("damped: market volatility above " + p.volatilityThreshold().toPlainString()));
        }
        List<ModelShare> out = new ArrayList<>();
        for (ModelInput m : models) {
            Double s = sharpe.get(m.name());
            out.add(new ModelShare(m.name(), exact(share.getOrDefault(m.name(), 0.0)), exact(score.getOrDefault(m.name(), 0.0)),
                    s == null ? null : BigDecimal.valueOf(s).setScale(4, RoundingMode.HALF_EVEN), m.returns().length,
                    List.copyOf(notes.get(m.name()))));
        }
        return new Result(out, damped, BigDecimal.valueOf(volatility).setScale(4, RoundingMode.HALF_EVEN));
    }

    private static Map<String, Double> scores(List<ModelInput> eligible, Map<String, Double> sharpe, AllocationPolicy p,
                                              Map<String, List<String>> notes) {
        Map<String, Double> score = new LinkedHashMap<>();
        switch (p.method()) {
            case EQUAL -> eligible.forEach(m -> score.put(m.name(), 1.0));
            case SHARPE -> {
                for (ModelInput m : eligible) {
                    Double s = sharpe.get(m.name());
                    if (s == null) {
                        double prior = m.priorSharpe() != null && m.priorSharpe().signum() > 0 ? m.priorSharpe().doubleValue() : 1.0;
                        notes.get(m.name()).add("too little live data (" + m.returns().length + " of " + p.minSamples()
                                + " samples): scored by " + (m.priorSharpe() != null && m.priorSharpe().signum() > 0 ? "its backtest Sharpe" : "1"));
                        score.put(m.name(), prior);
                    } else {
                        score.put(m.name(), Math.max(s, 0));
                    }
                }
            }
            case KELLY -> {
                for (ModelInput m : eligible) {
                    double var = Stats.variance(m.returns());
                    if (m.returns().length < p.minSamples() || var == 0) {
                        notes.get(m.name()).add("too little live data for a Kelly fraction: 0");
                        score.put(m.name(), 0.0);
                    } else {
                        score.put(m.name(), Math.max(0, p.kellyFraction().doubleValue() * Stats.mean(m.returns()) / var));
                    }
                }
            }
            case HRP -> {
                List<ModelInput> withData = eligible.stream().filter(m -> m.returns().length >= p.minSamples()).toList();
                if (withData.size() < 2) {
                    eligible.forEach(m -> score.put(m.name(), 1.0));
                    eligible.forEach(m -> notes.get(m.name()).add("fewer than two models with enough data for HRP: equal shares"));
                } else {
                    int n = withData.stream().mapToInt(m -> m.returns().length).min().orElse(0);
                    double[][] series = withData.stream().map(m -> Stats.tail(m.returns(), n)).toArray(double[][]::new);
                    double[] w = Hrp.weights(series);
                    double average = 0;
                    for (int i = 0; i < w.length; i++) {
                        score.put(withData.get(i).name(), w[i]);
                        average += w[i] / w.length;
                    }
                    for (ModelInput m : eligible) {
                        if (!score.containsKey(m.name())) {
                            score.put(m.name(), average);
                            notes.get(m.name()).add("too little live data for HRP: the average weight");
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("unknown method " + p.method());
        }
        return score;
    }

    /**
     * Keeps every share within [min, max]: shares outside are fixed at the bound and the others re-scaled to what is
     * left (water-filling), until none is outside. Kelly shares are only capped, never raised or re-scaled up.
     */
    private static void bounds(Map<String, Double> share, AllocationPolicy p, boolean normalize, Map<String, List<String>> notes) {
        double min = p.minShare().doubleValue();
        double max = p.maxShare().doubleValue();
        int n = share.size();
        if (n == 0) {
            return;
        }
        if (!normalize) {
            share.replaceAll((k, v) -> {
                if (v > max) {
                    notes.get(k).add("capped at max share " + p.maxShare().toPlainString());
                    return max;
                }
                return v;
            });
            return;
        }
        if (min * n > 1) {
            min = 0;
        }
        Map<String, Double> fixed = new LinkedHashMap<>();
        for (int round = 0; round <= n; round++) {
            double fixedSum = fixed.values().stream().mapToDouble(Double::doubleValue).sum();
            double freeSum = share.entrySet().stream().filter(e -> !fixed.containsKey(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
            double room = Math.max(0, 1 - fixedSum);
            for (Map.Entry<String, Double> e : share.entrySet()) {
                if (!fixed.containsKey(e.getKey())) {
                    e.setValue(freeSum == 0 ? room / Math.max(1, n - fixed.size()) : e.getValue() / freeSum * room);
                }
            }
            boolean changed = false;
            for (Map.Entry<String, Double> e : share.entrySet()) {
                if (fixed.containsKey(e.getKey())) {
                    continue;
                }
                if (e.getValue() > max + 1e-12) {
                    fixed.put(e.getKey(), max);
                    e.setValue(max);
                    notes.get(e.getKey()).add("capped at max share " + p.maxShare().toPlainString());
                    changed = true;
                } else if (e.getValue() < min - 1e-12) {
                    fixed.put(e.getKey(), min);
                    e.setValue(min);
                    notes.get(e.getKey()).add("raised to min share " + p.minShare().toPlainString());
                    changed = true;
                }
            }
            if (!changed) {
                return;
            }
        }
    }

    /**
     * A model whose share changed less than a cooldown ago keeps its previous share (the others share what is left),
     * so one noisy period cannot swing its budget back and forth. When the others need more room than that leaves (a
     * model arrived), the held shares give way in proportion. Returns the models held.
     */
    private static java.util.Set<String> cooldown(Map<String, Double> share, List<ModelInput> eligible, Instant now, AllocationPolicy p, boolean normalize,
                                 Map<String, List<String>> notes) {
        Map<String, Double> held = new LinkedHashMap<>();
        for (ModelInput m : eligible) {
            if (m.previousShare() == null || m.lastChange() == null || !now.isBefore(m.lastChange().plus(p.cooldown()))) {
                continue;
            }
            double previous = m.previousShare().doubleValue();
            if (exact(share.get(m.name())).compareTo(m.previousShare()) != 0) {
                held.put(m.name(), previous);
                notes.get(m.name()).add("held: in its cooldown until " + m.lastChange().plus(p.cooldown()));
            }
        }
        if (held.isEmpty()) {
            return held.keySet();
        }
        double total = normalize ? 1 : share.values().stream().mapToDouble(Double::doubleValue).sum();
        double heldSum = held.values().stream().mapToDouble(Double::doubleValue).sum();
        double freeSum = share.entrySet().stream().filter(e -> !held.containsKey(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
        if (heldSum + freeSum > total && freeSum > 0 && heldSum > 0) {
            // Not enough room for both (a model arrived, or one left its cooldown larger): the free models take their
            // shares and the held ones give way, in proportion.
            double scale = Math.max(0, total - freeSum) / heldSum;
            for (Map.Entry<String, Double> e : share.entrySet()) {
                if (held.containsKey(e.getKey())) {
                    e.setValue(held.get(e.getKey()) * scale);
                }
            }
            return held.keySet();
        }
        double room = Math.max(0, total - heldSum);
        for (Map.Entry<String, Double> e : share.entrySet()) {
            if (held.containsKey(e.getKey())) {
                e.setValue(held.get(e.getKey()));
            } else if (freeSum > 0) {
                e.setValue(Math.min(e.getValue() / freeSum * room, p.maxShare().doubleValue()));
            }
        }
        return held.keySet();
    }

    private static BigDecimal exact(double value) {
        return BigDecimal.valueOf(Math.max(0, value)).setScale(SCALE, RoundingMode.DOWN).stripTrailingZeros();
    }
}
