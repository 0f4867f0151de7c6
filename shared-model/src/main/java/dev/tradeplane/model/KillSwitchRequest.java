package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code POST /risk/kill-switch}: why, and whether to close every position with market orders too. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KillSwitchRequest(String reason, Boolean flatten) {}
