package dev.tradeplane.ops.allocation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The capital allocator's defaults: the first layer of its policy, which {@code capital_policy.json} overrides (see
 * {@code GET /config/effective}).
 */
@ConfigMapping(prefix = "tradeplane.allocator")
public interface AllocatorConfig {

    /** Run the allocator and enforce budgets on signals. */
    @WithDefault("true")
    boolean enabled();

    /** How often budgets are recomputed (and each model's PnL sampled). */
    @WithDefault("30s")
    Duration interval();

    /** SHARPE, EQUAL, HRP or KELLY. */
    @WithDefault("SHARPE")
    AllocationMethod method();

    /** The span of PnL samples (and market prices) the statistics are computed over. */
    @WithDefault("1h")
    Duration window();

    /** Fewest samples before a model is judged on its live returns. */
    @WithDefault("10")
    int minSamples();

    /** Least share of the account a tradable model gets. */
    @WithDefault("0.02")
    BigDecimal minShare();

    /** Largest share of the account one model gets. */
    @WithDefault("0.5")
    BigDecimal maxShare();

    /** Least time between two changes of one model's share. */
    @WithDefault("5m")
    Duration cooldown();

    /** Annualized realized volatility of a traded market (0.8 = 80%) above which every share is damped. */
    @WithDefault("0.8")
    BigDecimal volatilityThreshold();

    /** The factor shares are multiplied by while the market is above the threshold (the rest stays in cash). */
    @WithDefault("0.5")
    BigDecimal damping();

    /** For KELLY: the fraction of the Kelly bet taken (0.5 = half Kelly). */
    @WithDefault("0.5")
    BigDecimal kellyFraction();

    /** SCALE (place what the budget allows) or REJECT a signal over its model's remaining budget. */
    @WithDefault("SCALE")
    OverBudget onOverBudget();

    /** Where the current allocation is exported as JSON after every reallocation; {@code off} for none. */
    @WithDefault("${user.home}/.tradeplane/capital_allocations.json")
    String exportFile();
}
