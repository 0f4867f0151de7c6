package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * One reconciliation of the engine's orders, fills and positions with what a venue says, and every difference it
 * found and how it was resolved.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconciliationReport(String venue, String trigger, Instant startedAt, Instant finishedAt, int ordersChecked,
                                   List<Mismatch> mismatches) {

    /**
     * One difference. Kinds: {@code missed_fill} (a trade the venue made that the engine had not recorded: applied),
     * {@code vanished_order} (working at the engine, unknown or ended at the venue: closed), {@code orphan_order}
     * (working at the venue, unknown to the engine: canceled there), {@code adopted_order} (cut off before the
     * venue's answer was saved, found at the venue: taken as the venue has it), {@code resubmitted_order} (cut off and
     * not at the venue: sent again under its own key), {@code position} (the engine's net position differs from the
     * venue's: reported).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Mismatch(String kind, String symbol, String orderId, String clientOrderId, String detail) {}
}
