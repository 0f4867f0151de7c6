package dev.tradeplane.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One line of OPS' append-only audit trail ({@code GET /audit}, and the JSONL file): who ({@code actor}: a caller
 * such as {@code jwt:alice}, or {@code policy:<name>}) did what ({@code action}) to what ({@code subject}), under which
 * policy and triggering events, with which {@code result} ({@code ok}, or why it failed), and the details.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String policy, JsonNode trigger, String result,
                         JsonNode detail) {}
