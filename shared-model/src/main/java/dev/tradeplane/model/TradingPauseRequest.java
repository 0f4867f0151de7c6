package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code POST /trading/pause} and {@code /trading/resume}: a venue (omitted: all trading) and why. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TradingPauseRequest(String venue, String reason) {}
