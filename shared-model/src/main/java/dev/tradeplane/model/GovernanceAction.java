package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * One action a governance policy took (event {@code governance.action}, and a line of {@code GET /audit}):
 * the policy, the action ({@code pause}, {@code resume}, {@code alert}, {@code kill_switch}, {@code reduce_exposure},
 * {@code demote}, {@code promote}), what it acted on ({@code model:<name>}, {@code venue:<VENUE>}, {@code global},
 * {@code engines}), the result ({@code ok}, {@code unchanged}, {@code skipped}, {@code failed}) with a sentence saying
 * what happened, and the events that made the policy fire.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GovernanceAction(String policy, String action, String subject, String result, String detail, Trigger trigger, Instant at) {

    /**
     * Why the policy fired: the matched event type, the model and venue of the context, the value (value form) or the
     * count within the window (count form), and the ids of the events that made it fire (the last one last).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Trigger(String type, String model, String venue, String symbol, String value, Integer count, String window,
                          List<String> events, String summary) {}
}
