package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * Trading paused at the control plane ({@code GET /trading}, events {@code trading.paused} / {@code trading.resumed}):
 * {@code scope} is {@code global} or {@code venue}; {@code venue} is set for a venue pause. While it lasts OPS refuses
 * new signals it covers with 422 {@code TRADING_PAUSED}; orders already at the engines are left as they are.
 * {@code actor} is who paused ({@code policy:<name>} for the governance daemon), {@code policy} the policy, if any.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TradingPause(String scope, String venue, String reason, String actor, String policy, Instant since) {

    public static final String GLOBAL = "global";
    public static final String VENUE = "venue";
}
