package dev.tradeplane.ops.governance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A governance policy as loaded from its YAML file (format: policies/README.md), with the file's content as JSON. */
public record Policy(String name, String description, boolean enabled, Match match, Duration cooldown, List<Action> actions, String file,
                     com.fasterxml.jackson.databind.JsonNode definition) {

    /** Which events count, and when they make the policy fire. */
    public record Match(String type, String model, String venue, Map<String, List<String>> where, ValueThreshold value, CountThreshold count) {

        public boolean typeMatches(String eventType) {
            return type.endsWith("*") ? eventType.startsWith(type.substring(0, type.length() - 1)) : type.equals(eventType);
        }

        /** Whether an event of this type, model and venue, with this payload, passes {@code type}, {@code model}, {@code venue}, {@code where}. */
        public boolean admits(String eventType, String eventModel, String eventVenue, com.fasterxml.jackson.databind.JsonNode payload) {
            return typeMatches(eventType) && (model == null || model.equals(eventModel)) && (venue == null || venue.equalsIgnoreCase(eventVenue))
                    && whereMatches(payload);
        }

        /** Whether every {@code where} field of the payload is one of its listed texts (case-insensitive; "X*" a prefix). */
        public boolean whereMatches(com.fasterxml.jackson.databind.JsonNode payload) {
            for (Map.Entry<String, List<String>> e : where.entrySet()) {
                com.fasterxml.jackson.databind.JsonNode v = field(payload, e.getKey());
                if (v == null) {
                    return false;
                }
                String text = v.asText().toLowerCase(java.util.Locale.ROOT);
                boolean any = e.getValue().stream().map(s -> s.toLowerCase(java.util.Locale.ROOT))
                        .anyMatch(s -> s.endsWith("*") ? text.startsWith(s.substring(0, s.length() - 1)) : text.equals(s));
                if (!any) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Value form: a payload field (dotted path) strictly above or below a number, or equal to a text. */
    public record ValueThreshold(String field, BigDecimal above, BigDecimal below, String equalsText) {}

    /** Count form: at least {@code count} matching events within {@code window}, counted per model, venue or all. */
    public record CountThreshold(int count, Duration window, Per per) {

        /** Which counter an event of this model and venue counts in: the model, the venue, or {@code *}; null for none. */
        public String counter(String model, String venue) {
            return switch (per) {
                case MODEL -> model;
                case VENUE -> venue;
                case ALL -> "*";
            };
        }
    }

    /** A payload's scalar field at a dotted path ({@code stats.max_drawdown_pct}); null when missing, null or not a scalar. */
    public static com.fasterxml.jackson.databind.JsonNode field(com.fasterxml.jackson.databind.JsonNode payload, String path) {
        com.fasterxml.jackson.databind.JsonNode v = payload;
        for (String part : path.split("\\.")) {
            v = v == null ? null : v.get(part);
        }
        return v == null || v.isNull() || v.isContainerNode() ? null : v;
    }

    public enum Per { MODEL, VENUE, ALL }

    public enum Scope { MODEL, VENUE, GLOBAL }

    /** What a policy does when it fires. */
    public sealed interface Action {
        String kind();
    }

    public record Pause(Scope scope) implements Action {
        public String kind() {
            return "pause";
        }
    }

    public record Resume(Scope scope) implements Action {
        public String kind() {
            return "resume";
        }
    }

    public record Alert(String channel, String message) implements Action {
        public String kind() {
            return "alert";
        }
    }

    public record KillSwitch(boolean flatten) implements Action {
        public String kind() {
            return "kill_switch";
        }
    }

    public record ReduceExposure(BigDecimal factor) implements Action {
        public String kind() {
            return "reduce_exposure";
        }
    }

    public record Demote() implements Action {
        public String kind() {
            return "demote";
        }
    }

    public record Promote() implements Action {
        public String kind() {
            return "promote";
        }
    }
}
