package dev.tradeplane.engine.venue;

import dev.tradeplane.model.RejectReason;
import java.util.List;

/**
 * A venue's answer to a cancel/replace: REPLACED (with any fills the new price made at once, and whether the rest
 * rests), UNKNOWN (nothing of the order is working there any more), or REJECTED (the replace was refused and the
 * order is unchanged).
 */
public record ReplaceAck(Outcome outcome, List<VenueFill> fills, boolean resting, RejectReason rejectReason, String rejectDetail) {

    public enum Outcome {
        REPLACED,
        UNKNOWN,
        REJECTED
    }

    public static ReplaceAck unknown() {
        return new ReplaceAck(Outcome.UNKNOWN, List.of(), false, null, null);
    }

    public static ReplaceAck rejected(RejectReason reason, String detail) {
        return new ReplaceAck(Outcome.REJECTED, List.of(), true, reason, detail);
    }
}
