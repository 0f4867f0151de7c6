package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * OPS' circuit to one engine changed state (event {@code engine.circuit_changed}, source ops): {@code state} is
 * {@code open} (the engine did not answer {@code failures} calls in a row: OPS stops calling it for a cooldown, signals
 * for its venue get 503) or {@code closed} (a call succeeded again). {@code error} is the last failure.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EngineCircuitChange(String venue, String state, String previous, int failures, String error, Instant at) {}
