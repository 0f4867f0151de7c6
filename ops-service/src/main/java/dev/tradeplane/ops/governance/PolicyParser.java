package dev.tradeplane.ops.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates one policy file strictly: every problem is reported at once, and unknown keys anywhere are
 * errors, because a typo must not silently disable a safety rule.
 */
public final class PolicyParser {

    /** A file that is not a valid policy, with every reason. */
    public static final class Invalid extends Exception {
        private final List<String> errors;

        Invalid(List<String> errors) {
            super(String.join("; ", errors), null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,60}");
    static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");
    static final Pattern FIELD = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
    /** Event types a policy may match (exactly, or by a prefix ending in *). */
    static final Set<String> TYPES = Set.of("signal.routed", "signal.rejected", "order.accepted", "order.rejected", "order.updated",
            "order.filled", "position.changed", "risk.kill_switch_tripped", "risk.kill_switch_reset", "risk.breaker_changed",
            "risk.limits_changed", "reconciliation.mismatch", "model.changed", "model.canary_decision", "model.performance", "allocation.changed",
            "engine.circuit_changed", "trading.paused", "trading.resumed", "alert.raised");

    private static final YAMLMapper YAML = new YAMLMapper();

    private PolicyParser() {}

    public static Policy parse(String yaml, String file) throws Invalid {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Invalid(List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        List<String> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new Invalid(List.of("a policy is a YAML mapping with name, description, enabled, match and actions"));
        }
        keys(root, "", Set.of("name", "description", "enabled", "match", "cooldown", "actions"), errors);
        String name = text(root, "name");
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add("name: required, 1 to 60 of a-z 0-9 -");
        }
        String description = text(root, "description");
        if (description == null || description.isBlank()) {
            errors.add("description: required");
        }
        JsonNode enabledNode = root.get("enabled");
        if (enabledNode == null || !enabledNode.isBoolean()) {
            errors.add("enabled: required, true or false");
        }
        Policy.Match match = match(root.get("match"), errors);
        Duration cooldown = Duration.ofMinutes(15);
        if (root.has("cooldown")) {
            cooldown = duration(root.get("cooldown"), "cooldown", errors);
        }
        List<Policy.Action> actions = actions(root.get("actions"), match, errors);
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new Policy(name, description, enabledNode.booleanValue(), match, cooldown, actions, file, root);
    }

    private static Policy.Match match(JsonNode m, List<String> errors) {
        if (m == null || !m.isObject()) {
            errors.add("match: required, a mapping with type and threshold");
            return null;
        }
        keys(m, "match.", Set.of("type", "model", "venue", "where", "threshold"), errors);
        Map<String, List<String>> where = new LinkedHashMap<>();
        JsonNode w = m.get("where");
        if (w != null && !w.isObject()) {
            errors.add("match.where: a mapping of payload field to a text or a list of texts (reject_reason: [MAX_POSITION, DAILY_LOSS])");
        } else if (w != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!FIELD.matcher(e.getKey()).matches()) {
                    errors.add("match.where." + e.getKey() + ": a payload field in snake_case, dots for nested fields");
                }
                List<String> values = new ArrayList<>();
                JsonNode v = e.getValue();
                if (v.isArray()) {
                    v.forEach(x -> values.add(x.isValueNode() && !x.isNull() ? x.asText() : null));
                } else if (v.isValueNode() && !v.isNull()) {
                    values.add(v.asText());
                }
                if (values.isEmpty() || values.contains(null)) {
                    errors.add("match.where." + e.getKey() + ": a text or a non-empty list of texts");
                } else {
                    where.put(e.getKey(), List.copyOf(values));
                }
            }
        }
        String type = text(m, "type");
        if (type == null) {
            errors.add("match.type: required");
        } else if (type.endsWith("*") ? TYPES.stream().noneMatch(t -> t.startsWith(type.substring(0, type.length() - 1))) : !TYPES.contains(type)) {
            errors.add("match.type: " + type + " is not an event type; known: " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        JsonNode t = m.get("threshold");
        Policy.ValueThreshold value = null;
        Policy.CountThreshold count = null;
        if (t == null || !t.isObject()) {
            errors.add("match.threshold: required, the value form (value + above/below/equals) or the count form (count + window)");
        } else if (t.has("value") == t.has("count")) {
            errors.add("match.threshold: exactly one of the value form (value) or the count form (count)");
        } else if (t.has("value")) {
            keys(t, "match.threshold.", Set.of("value", "above", "below", "equals"), errors);
            String field = text(t, "value");
            if (field == null || !FIELD.matcher(field).matches()) {
                errors.add("match.threshold.value: a payload field in snake_case, dots for nested fields (stats.max_drawdown_pct)");
            }
            int forms = (t.has("above") ? 1 : 0) + (t.has("below") ? 1 : 0) + (t.has("equals") ? 1 : 0);
            if (forms != 1) {
                errors.add("match.threshold: exactly one of above, below or equals");
            }
            BigDecimal above = number(t, "above", errors);
            BigDecimal below = number(t, "below", errors);
            String equals = t.has("equals") ? t.get("equals").asText() : null;
            value = new Policy.ValueThreshold(field, above, below, equals);
        } else {
            keys(t, "match.threshold.", Set.of("count", "window", "per"), errors);
            JsonNode c = t.get("count");
            if (c == null || !c.isInt() || c.intValue() < 1) {
                errors.add("match.threshold.count: a whole number, at least 1");
            }
            Duration window = t.has("window") ? duration(t.get("window"), "match.threshold.window", errors) : null;
            if (window == null) {
                errors.add("match.threshold.window: required with count");
            }
            Policy.Per per = Policy.Per.ALL;
            if (t.has("per")) {
                try {
                    per = Policy.Per.valueOf(t.get("per").asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    errors.add("match.threshold.per: model, venue or all");
                }
            }
            count = new Policy.CountThreshold(c == null ? 0 : c.asInt(), window, per);
        }
        return new Policy.Match(type, text(m, "model"), text(m, "venue"), Map.copyOf(where), value, count);
    }

    private static List<Policy.Action> actions(JsonNode a, Policy.Match match, List<String> errors) {
        List<Policy.Action> out = new ArrayList<>();
        if (a == null || !a.isArray() || a.isEmpty()) {
            errors.add("actions: required, a list of at least one action");
            return out;
        }
        boolean hasModel = match != null && (match.value() != null || match.count() != null && match.count().per() == Policy.Per.MODEL
                || match.model() != null);
        boolean hasVenue = match != null && (match.value() != null || match.count() != null && match.count().per() == Policy.Per.VENUE
                || match.venue() != null);
        for (int i = 0; i < a.size(); i++) {
            String at = "actions[" + i + "]";
            JsonNode node = a.get(i);
            if (!node.isObject() || node.size() != 1) {
                errors.add(at + ": one action, e.g. - pause: {scope: model}");
                continue;
            }
            String kind = node.fieldNames().next();
            JsonNode p = node.get(kind);
            JsonNode params = p == null || p.isNull() ? YAML.createObjectNode() : p;
            if (!params.isObject()) {
                errors.add(at + "." + kind + ": parameters are a mapping ({} for none)");
                continue;
            }
            switch (kind) {
                case "pause", "resume" -> {
                    keys(params, at + "." + kind + ".", Set.of("scope"), errors);
                    Policy.Scope scope = scope(params, at + "." + kind, errors);
                    if (scope == Policy.Scope.MODEL && !hasModel) {
                        errors.add(at + "." + kind + ": scope model needs a model in the context (value form, per: model, or match.model)");
                    }
                    if (scope == Policy.Scope.VENUE && !hasVenue) {
                        errors.add(at + "." + kind + ": scope venue needs a venue in the context (value form, per: venue, or match.venue)");
                    }
                    if (scope != null) {
                        out.add(kind.equals("pause") ? new Policy.Pause(scope) : new Policy.Resume(scope));
                    }
                }
                case "alert" -> {
                    keys(params, at + ".alert.", Set.of("channel", "message"), errors);
                    String channel = text(params, "channel");
                    if (!"telegram".equals(channel) && !"log".equals(channel)) {
                        errors.add(at + ".alert.channel: telegram or log");
                    }
                    String message = text(params, "message");
                    if (message == null || message.isBlank()) {
                        errors.add(at + ".alert.message: required");
                    }
                    out.add(new Policy.Alert(channel, message));
                }
                case "kill_switch" -> {
                    keys(params, at + ".kill_switch.", Set.of("flatten"), errors);
                    JsonNode f = params.get("flatten");
                    if (f != null && !f.isBoolean()) {
                        errors.add(at + ".kill_switch.flatten: true or false");
                    }
                    out.add(new Policy.KillSwitch(f != null && f.booleanValue()));
                }
                case "reduce_exposure" -> {
                    keys(params, at + ".reduce_exposure.", Set.of("factor"), errors);
                    BigDecimal factor = number(params, "factor", errors);
                    if (factor == null || factor.signum() <= 0 || factor.compareTo(BigDecimal.ONE) >= 0) {
                        errors.add(at + ".reduce_exposure.factor: a number above 0 and below 1 (0.5 halves the model's weight)");
                    }
                    if (!hasModel) {
                        errors.add(at + ".reduce_exposure: needs a model in the context");
                    }
                    out.add(new Policy.ReduceExposure(factor));
                }
                case "demote", "promote" -> {
                    keys(params, at + "." + kind + ".", Set.of(), errors);
                    if (!hasModel) {
                        errors.add(at + "." + kind + ": needs a model in the context");
                    }
                    out.add(kind.equals("demote") ? new Policy.Demote() : new Policy.Promote());
                }
                default -> errors.add(at + ": unknown action " + kind + "; known: pause, resume, alert, kill_switch, reduce_exposure, demote, promote");
            }
        }
        return out;
    }

    private static Policy.Scope scope(JsonNode params, String at, List<String> errors) {
        String s = text(params, "scope");
        try {
            return Policy.Scope.valueOf(s == null ? "" : s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(at + ".scope: model, venue or global");
            return null;
        }
    }

    static Duration duration(JsonNode node, String at, List<String> errors) {
        Matcher m = DURATION.matcher(node == null ? "" : node.asText());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            errors.add(at + ": a positive duration such as 30s, 5m, 1h or 1d");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static BigDecimal number(JsonNode node, String key, List<String> errors) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException e) {
            errors.add(key + ": a number, not " + v.asText());
            return null;
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static void keys(JsonNode node, String prefix, Set<String> known, List<String> errors) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                errors.add(prefix + key + ": unknown key" + (known.isEmpty() ? "" : "; known: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }
}
