package dev.tradeplane.ops.allocation;

/** What happens to a signal larger than its model's remaining budget. */
public enum OverBudget {
    /** Placed with its quantity cut to what the budget allows (refused if that is less than one lot). */
    SCALE,
    /** Refused with BUDGET_EXCEEDED. */
    REJECT
}
