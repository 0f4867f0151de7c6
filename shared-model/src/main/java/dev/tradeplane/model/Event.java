package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The envelope of everything that travels on the event bus.
 *
 * @param id      unique per event; consumers deduplicate on it
 * @param type    one of {@link EventTypes}
 * @param source  who produced it, e.g. {@code engine-paper} or {@code ops}
 * @param payload the event's data, a wire record serialized to JSON
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Event(String id, String type, Instant time, String source, JsonNode payload) {}
