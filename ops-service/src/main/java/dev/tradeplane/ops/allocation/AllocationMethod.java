package dev.tradeplane.ops.allocation;

/** How the capital allocator divides the account between models. */
public enum AllocationMethod {
    /** In proportion to each model's live Sharpe ratio (negative counts as 0). */
    SHARPE,
    /** The same share for every model. */
    EQUAL,
    /** Hierarchical risk parity on the correlations of the models' returns (López de Prado). */
    HRP,
    /** A fraction of each model's Kelly-optimal bet (mean over variance of its returns), capped; the rest stays in cash. */
    KELLY
}
