package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Map;

/**
 * The engine's risk limits: a global set and sets per venue ({@code PAPER}), per model and per symbol
 * ({@code BTCUSDT.PAPER}). For each limit the most specific set that gives it wins: symbol, then model, then venue,
 * then global. {@code version} and {@code updatedAt} are set by the engine; a PUT may send the version it read to
 * refuse a change made meanwhile.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RiskLimits(
        LimitSet global,
        Map<String, LimitSet> venues,
        Map<String, LimitSet> models,
        Map<String, LimitSet> symbols,
        Long version,
        Instant updatedAt) {}
