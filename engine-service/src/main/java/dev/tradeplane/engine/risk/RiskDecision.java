package dev.tradeplane.engine.risk;

import dev.tradeplane.model.RejectReason;
import java.math.BigDecimal;

/** The outcome of the pre-trade checks, as a value (STYLE 7). */
public sealed interface RiskDecision {

    Accepted ACCEPTED = new Accepted();

    record Accepted() implements RiskDecision {}

    /** Refused: why, in words and as a code, with the limit and the value that broke it (either may be null). */
    record Rejected(RejectReason reason, String detail, BigDecimal limit, BigDecimal value) implements RiskDecision {}
}
