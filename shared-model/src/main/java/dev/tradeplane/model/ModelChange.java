package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The payload of {@code model.changed}: what was done to a model, by whom, and the model after it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelChange(String action, String actor, String reason, StrategyModel model) {}
