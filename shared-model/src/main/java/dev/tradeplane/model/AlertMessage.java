package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * An alert for the operators (event {@code alert.raised}): where it should go ({@code telegram} or {@code log}), who
 * raised it ({@code policy:<name>} or a service), the rendered message, and the model and venue it is about, if any.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlertMessage(String channel, String source, String policy, String message, String model, String venue, Instant at) {}
