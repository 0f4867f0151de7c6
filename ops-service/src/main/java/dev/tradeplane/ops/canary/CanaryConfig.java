package dev.tradeplane.ops.canary;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;

/** How canaries trade and when they are judged. */
@ConfigMapping(prefix = "tradeplane.canary")
public interface CanaryConfig {

    /** A canary routes at this fraction of its target weight. */
    @WithDefault("0.1")
    BigDecimal weightFraction();

    /** How often canaries (and active models, for demotion) are judged. */
    @WithDefault("60s")
    Duration interval();

    /** Fewest fills a model needs before it is judged. */
    @WithDefault("20")
    int minTrades();

    /** Least time a model must have been a canary before it can be promoted. */
    @WithDefault("1h")
    Duration minAge();

    /** Promotion: live Sharpe ratio (annualized, on its PnL series) at least this. */
    @WithDefault("1.0")
    BigDecimal promoteSharpe();

    /** Promotion: drawdown from its PnL peak, percent of its budget, at most this. */
    @WithDefault("10")
    BigDecimal promoteMaxDrawdownPct();

    /** Promotion: share of winning round trips (fills that realized a profit) at least this. */
    @WithDefault("0.45")
    BigDecimal promoteWinRate();

    /** Demotion: Sharpe below this (active models go back to canary, canaries are retired). */
    @WithDefault("0")
    BigDecimal demoteSharpe();

    /** Demotion: drawdown above this percent of its budget. */
    @WithDefault("20")
    BigDecimal demoteMaxDrawdownPct();
}
