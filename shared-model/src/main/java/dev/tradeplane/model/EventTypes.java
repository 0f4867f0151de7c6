package dev.tradeplane.model;

/** Event type names on the bus. Dotted, lower case, past tense. */
public final class EventTypes {
    /** Payload: {@link Signal} plus the chosen model. */
    public static final String SIGNAL_ROUTED = "signal.routed";
    /** Payload: {@link Problem}: the signal got no order. */
    public static final String SIGNAL_REJECTED = "signal.rejected";
    /** Payload: {@link Order}. */
    public static final String ORDER_ACCEPTED = "order.accepted";
    /** Payload: {@link Order} with its reject reason. */
    public static final String ORDER_REJECTED = "order.rejected";
    /** Payload: {@link Order}, after any change of its state (a fill, a cancel, a replace, a trigger, an expiry). */
    public static final String ORDER_UPDATED = "order.updated";
    /** Payload: {@link Fill}. */
    public static final String ORDER_FILLED = "order.filled";
    /** Payload: {@link RiskState.KillSwitch} when it trips. */
    public static final String KILL_SWITCH_TRIPPED = "risk.kill_switch_tripped";
    /** Payload: {@link RiskState.KillSwitch} when it is reset. */
    public static final String KILL_SWITCH_RESET = "risk.kill_switch_reset";
    /** Payload: {@link RiskState.Breaker} when a breaker changes state. */
    public static final String BREAKER_CHANGED = "risk.breaker_changed";
    /** Payload: {@link RiskLimits} after a change, with who changed it in the envelope's source. */
    public static final String LIMITS_CHANGED = "risk.limits_changed";
    /** Payload: {@link Problem} of a refused order (reason, limit, value, order id). */
    public static final String RISK_REJECTED = "risk.rejected";
    /** Payload: {@link ReconciliationReport.Mismatch}, one per difference found with a venue. */
    public static final String RECONCILIATION_MISMATCH = "reconciliation.mismatch";
    /** Payload: {@link Position} after a fill. */
    public static final String POSITION_CHANGED = "position.changed";

    private EventTypes() {}

    /** A model was created, changed, paused, resumed, promoted, demoted or retired (payload: ModelChange). */
    public static final String MODEL_CHANGED = "model.changed";

    /** The capital allocator set new budgets (payload: Allocations). */
    public static final String ALLOCATION_CHANGED = "allocation.changed";

    /** The canary manager judged a model (payload: CanaryDecision). */
    public static final String CANARY_DECISION = "model.canary_decision";
    public static final String MODEL_PERFORMANCE = "model.performance";

    /** A governance policy acted (payload: AuditEntry). */
    public static final String GOVERNANCE_ACTION = "governance.action";

    /** Something for a person to look at (payload: Alert). */
    public static final String ALERT_RAISED = "alert.raised";
    public static final String ENGINE_CIRCUIT_CHANGED = "engine.circuit_changed";

    /** Trading was paused or resumed, globally or for a venue (payload: TradingPause). */
    public static final String TRADING_PAUSED = "trading.paused";
    public static final String TRADING_RESUMED = "trading.resumed";
}
