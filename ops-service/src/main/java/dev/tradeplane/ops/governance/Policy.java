package dev.tradeplane.ops.governance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** A governance policy as loaded from its YAML file (format: policies/README.md). */
public record Policy(String name, String description, boolean enabled, Match match, Duration cooldown, List<Action> actions, String file) {

    /** Which events count, and when they make the policy fire. */
    public record Match(String type, String model, String venue, ValueThreshold value, CountThreshold count) {

        public boolean typeMatches(String eventType) {
            return type.endsWith("*") ? eventType.startsWith(type.substring(0, type.length() - 1)) : type.equals(eventType);
        }
    }

    /** Value form: a payload field (dotted path) strictly above or below a number, or equal to a text. */
    public record ValueThreshold(String field, BigDecimal above, BigDecimal below, String equalsText) {}

    /** Count form: at least {@code count} matching events within {@code window}, counted per model, venue or all. */
    public record CountThreshold(int count, Duration window, Per per) {}

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
