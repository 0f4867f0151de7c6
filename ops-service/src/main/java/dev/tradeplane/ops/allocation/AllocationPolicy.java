package dev.tradeplane.ops.allocation;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The rules one allocation follows: the method, hard bounds per model, the cooldown between changes of one model's
 * share, how much live data a model needs to be judged on it, when market volatility damps every share, and what to
 * do with a signal over budget. Effective values come from the configuration layers (see ConfigLayers).
 */
public record AllocationPolicy(
        AllocationMethod method,
        BigDecimal minShare,
        BigDecimal maxShare,
        Duration cooldown,
        int minSamples,
        BigDecimal volatilityThreshold,
        BigDecimal damping,
        BigDecimal kellyFraction,
        BigDecimal canaryFraction,
        double periodsPerYear,
        OverBudget onOverBudget) {}
