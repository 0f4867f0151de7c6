package dev.tradeplane.ops.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.model.AlertMessage;
import dev.tradeplane.model.Event;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.GovernanceAction;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.ops.audit.AuditLog;
import dev.tradeplane.ops.engine.EngineAnswer;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.routing.Model;
import dev.tradeplane.ops.routing.ModelRepository;
import dev.tradeplane.ops.routing.ModelService;
import dev.tradeplane.ops.trading.TradingPauses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches every event OPS stores (engine and OPS events alike, once each, in stream order) and fires the policies of
 * the {@link PolicyStore} they match. A policy fires on one event (value form) or on the {@code count}th matching
 * event within its window (count form), then stays quiet for its cooldown for the same model, venue or all. Its
 * actions run in order on a thread of their own, so a slow engine never holds up the event stream; each is written
 * to the audit trail with the policy, the events that made it fire and its result, and published as
 * {@code governance.action}.
 */
@Singleton
public class GovernanceDaemon {

    /** The actor of everything a policy does: {@code policy:<name>}. */
    public static final String ACTOR_PREFIX = "policy:";
    private static final Logger LOG = Logger.getLogger(GovernanceDaemon.class);
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(30);
    private static final String NONE = "-";

    /** Why a policy fired, and on what. */
    record Firing(Policy policy, Event last, String model, String venue, String symbol, String value, Integer count, List<String> events,
                  String summary) {

        GovernanceAction.Trigger trigger() {
            Policy.CountThreshold c = policy.match().count();
            return new GovernanceAction.Trigger(last.type(), model, venue, symbol, value, count, c == null ? null : format(c.window()),
                    events, summary);
        }
    }

    /** What one action did. */
    record Outcome(String subject, String result, String detail) {

        static Outcome ok(String subject, String detail) {
            return new Outcome(subject, "ok", detail);
        }

        static Outcome unchanged(String subject, String detail) {
            return new Outcome(subject, "unchanged", detail);
        }

        static Outcome skipped(String subject, String detail) {
            return new Outcome(subject, "skipped", detail);
        }

        static Outcome failed(String subject, String detail) {
            return new Outcome(subject, "failed", detail);
        }
    }

    private record Seen(Instant at, String id) {}

    /** The longest span of stored events counted again after a restart. */
    private static final Duration MAX_REPLAY = Duration.ofHours(24);

    private final PolicyStore store;
    private final ModelService models;
    private final ModelRepository registry;
    private final TradingPauses pauses;
    private final EngineClient engines;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "governance-actions");
        t.setDaemon(true);
        return t;
    });
    /** Count-form windows, by policy and counter key. Touched only under this object's lock. */
    private final Map<String, Deque<Seen>> windows = new HashMap<>();
    /** Until when a policy stays quiet, by policy and context key. */
    private final Map<String, Instant> quietUntil = new HashMap<>();
    private boolean restored;

    public GovernanceDaemon(PolicyStore store, ModelService models, ModelRepository registry, TradingPauses pauses, EngineClient engines,
                            AuditLog audit, Outbox outbox, Pool pool, ObjectMapper mapper, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.models = models;
        this.registry = registry;
        this.pauses = pauses;
        this.engines = engines;
        this.audit = audit;
        this.outbox = outbox;
        this.pool = pool;
        this.mapper = mapper;
        this.clock = clock;
        this.meters = meters;
    }

    /** Hands one newly stored event to the policies; their actions are queued, never run on the caller's thread. */
    public void observe(Event event) {
        List<Firing> firings;
        synchronized (this) {
            if (!restored) {
                restore();
            }
            firings = match(event);
        }
        for (Firing f : firings) {
            LOG.warnf("Policy %s fires: %s", f.policy().name(), f.summary());
            Counter.builder("governance.firings").description("Times a governance policy fired").tag("policy", f.policy().name())
                    .register(meters).increment();
            actions.execute(() -> act(f));
        }
    }

    /**
     * After a restart, before the first new event: counts the events OPS stored within the longest count window again
     * (without firing on them), and keeps each policy quiet, for each model, venue or counter it fired for, for what
     * is left of its cooldown after its last action in the audit trail: a restart neither empties a half-full window
     * nor lets a policy fire twice for the same thing.
     */
    private void restore() {
        restored = true;
        Instant now = clock.instant();
        Duration longest = store.policies().stream().filter(p -> p.match().count() != null).map(p -> p.match().count().window())
                .max(Duration::compareTo).orElse(Duration.ZERO);
        if (longest.compareTo(MAX_REPLAY) > 0) {
            longest = MAX_REPLAY;
        }
        try {
            Map<String, Policy> byName = new HashMap<>();
            store.policies().forEach(p -> byName.put(p.name(), p));
            for (io.vertx.mutiny.sqlclient.Row r : pool.preparedQuery("SELECT policy, trigger::text AS trigger, at FROM audit "
                            + "WHERE actor LIKE 'policy:%' AND action LIKE 'governance.%' AND at >= $1 ORDER BY seq")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(now.minus(MAX_REPLAY).atOffset(java.time.ZoneOffset.UTC))).await().atMost(ACTION_TIMEOUT)) {
                Policy p = byName.get(r.getString("policy"));
                String key = p == null || r.getString("trigger") == null ? null : quietKey(p, mapper.readTree(r.getString("trigger")));
                Instant until = r.getOffsetDateTime("at").toInstant().plus(p == null ? Duration.ZERO : p.cooldown());
                if (key != null && until.isAfter(now)) {
                    quietUntil.merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
                }
            }
            int counted = 0;
            if (!longest.isZero()) {
                for (io.vertx.mutiny.sqlclient.Row r : pool.preparedQuery("SELECT event::text AS e FROM events WHERE occurred_at >= $1 ORDER BY seq LIMIT 100000")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(now.minus(longest).atOffset(java.time.ZoneOffset.UTC))).await().atMost(ACTION_TIMEOUT)) {
                    count(mapper.readValue(r.getString("e"), Event.class));
                    counted++;
                }
            }
            LOG.infof("Governance restored: %d stored events counted again (the last %s), %d policy contexts still in their cooldown", counted,
                    format(longest.isZero() ? Duration.ofSeconds(1) : longest), quietUntil.size());
        } catch (Exception e) {
            LOG.warnf("Governance starts with empty windows (the stored events could not be read: %s)", e.getMessage());
        }
    }

    /** The cooldown key of a past firing, from the trigger its audit line recorded (as {@link #match} builds it). */
    private static String quietKey(Policy p, JsonNode trigger) {
        String model = text(trigger, "model");
        String venue = text(trigger, "venue");
        if (p.match().value() != null) {
            return p.name() + "|" + model + "|" + venue;
        }
        Policy.CountThreshold c = p.match().count();
        String counted = c.counter(model, venue);
        return counted == null ? null : p.name() + "|" + c.per() + "|" + counted;
    }

    /** Counts the event in the window under {@code key}, dropping what fell out of it; the window after. */
    private Deque<Seen> countIn(String key, Policy.CountThreshold c, Event event) {
        Deque<Seen> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        window.addLast(new Seen(event.time(), event.id()));
        Instant from = event.time().minus(c.window());
        window.removeIf(s -> s.at().isBefore(from));
        return window;
    }

    /** Counts an event in the count-form windows it matches, without firing (restore after a restart). */
    private void count(Event event) {
        JsonNode payload = event.payload();
        String model = text(payload, "model");
        String venue = venueOf(payload, text(payload, "symbol"));
        for (Policy p : store.policies()) {
            Policy.CountThreshold c = p.match().count();
            if (c == null || !p.enabled() || !p.match().admits(event.type(), model, venue, payload)) {
                continue;
            }
            String counted = c.counter(model, venue);
            if (counted != null) {
                countIn(p.name() + "|" + c.per() + "|" + counted, c, event);
            }
        }
    }

    /** The policies this event makes fire (and the windows it counts in). */
    List<Firing> match(Event event) {
        List<Firing> out = new ArrayList<>();
        JsonNode payload = event.payload();
        String model = text(payload, "model");
        String symbol = text(payload, "symbol");
        String venue = venueOf(payload, symbol);
        Instant now = clock.instant();
        for (Policy p : store.policies()) {
            Policy.Match m = p.match();
            if (!p.enabled() || !m.admits(event.type(), model, venue, payload)) {
                continue;
            }
            if (m.value() != null) {
                Optional<String> value = valueMatch(m.value(), payload);
                String key = p.name() + "|" + model + "|" + venue;
                if (value.isEmpty() || quiet(key, now)) {
                    continue;
                }
                quietUntil.put(key, now.plus(p.cooldown()));
                out.add(new Firing(p, event, model, venue, symbol, value.get(), null, List.of(event.id()),
                        valueSummary(m.value(), value.get(), event.type(), model, venue)));
            } else {
                Policy.CountThreshold c = m.count();
                String counted = c.counter(model, venue);
                if (counted == null) {
                    continue;
                }
                String key = p.name() + "|" + c.per() + "|" + counted;
                if (quiet(key, now)) {
                    continue;
                }
                Deque<Seen> window = countIn(key, c, event);
                if (window.size() < c.count()) {
                    continue;
                }
                List<String> ids = window.stream().map(Seen::id).toList();
                window.clear();
                quietUntil.put(key, now.plus(p.cooldown()));
                String firingModel = c.per() == Policy.Per.MODEL ? model : m.model();
                String firingVenue = c.per() == Policy.Per.VENUE ? venue : m.venue();
                out.add(new Firing(p, event, firingModel, firingVenue, c.per() == Policy.Per.ALL ? null : symbol, null, ids.size(), ids,
                        ids.size() + " " + event.type() + " events within " + format(c.window())
                                + (c.per() == Policy.Per.MODEL ? " for model " + model : c.per() == Policy.Per.VENUE ? " on " + venue : "")));
            }
        }
        return out;
    }

    private boolean quiet(String key, Instant now) {
        Instant until = quietUntil.get(key);
        return until != null && now.isBefore(until);
    }

    /** The value that matched, as text, or empty when the field is missing, not comparable, or on the wrong side. */
    static Optional<String> valueMatch(Policy.ValueThreshold t, JsonNode payload) {
        JsonNode v = Policy.field(payload, t.field());
        if (v == null) {
            return Optional.empty();
        }
        String text = v.asText();
        if (t.equalsText() != null) {
            return text.equalsIgnoreCase(t.equalsText()) ? Optional.of(text) : Optional.empty();
        }
        BigDecimal n;
        try {
            n = v.isNumber() ? v.decimalValue() : new BigDecimal(text);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean hit = t.above() != null ? n.compareTo(t.above()) > 0 : n.compareTo(t.below()) < 0;
        return hit ? Optional.of(n.stripTrailingZeros().toPlainString()) : Optional.empty();
    }

    private static String valueSummary(Policy.ValueThreshold t, String value, String type, String model, String venue) {
        String comparison = t.equalsText() != null ? " is " + t.equalsText()
                : t.above() != null ? " above " + t.above().toPlainString() : " below " + t.below().toPlainString();
        return type + " " + t.field() + " " + value + comparison + (model == null ? "" : " for model " + model)
                + (venue == null ? "" : " on " + venue);
    }

    /** Runs a firing's actions in order; one failing does not stop the next. */
    void act(Firing f) {
        for (Policy.Action action : f.policy().actions()) {
            Outcome outcome;
            try {
                outcome = run(action, f);
            } catch (ProblemException e) {
                outcome = Outcome.failed(subjectOf(action, f), e.problem().detail());
            } catch (RuntimeException e) {
                outcome = Outcome.failed(subjectOf(action, f), String.valueOf(e.getMessage()));
            }
            record(f, action, outcome);
        }
    }

    private Outcome run(Policy.Action action, Firing f) {
        String actor = ACTOR_PREFIX + f.policy().name();
        String reason = f.summary();
        ModelService.PolicyContext context = new ModelService.PolicyContext(f.policy().name(), mapper.valueToTree(f.trigger()));
        return switch (action) {
            case Policy.Pause p -> switch (p.scope()) {
                case MODEL -> transition(f, ModelService.Action.PAUSE, actor, reason, context);
                case VENUE, GLOBAL -> {
                    String venue = p.scope() == Policy.Scope.VENUE ? f.venue() : null;
                    if (p.scope() == Policy.Scope.VENUE && venue == null) {
                        yield Outcome.skipped("venue", "the firing names no venue");
                    }
                    TradingPauses.Outcome o = await(pauses.pause(venue, reason, actor, f.policy().name(), context.trigger()));
                    String subject = venue == null ? "global" : "venue:" + venue.toUpperCase(Locale.ROOT);
                    yield o.changed() ? Outcome.ok(subject, (venue == null ? "all trading" : "trading on " + venue) + " paused")
                            : Outcome.unchanged(subject, "already paused since " + o.pause().since() + " by " + o.pause().actor());
                }
            };
            case Policy.Resume r -> switch (r.scope()) {
                case MODEL -> transition(f, ModelService.Action.RESUME, actor, reason, context);
                case VENUE, GLOBAL -> {
                    String venue = r.scope() == Policy.Scope.VENUE ? f.venue() : null;
                    if (r.scope() == Policy.Scope.VENUE && venue == null) {
                        yield Outcome.skipped("venue", "the firing names no venue");
                    }
                    TradingPauses.Outcome o = await(pauses.resume(venue, reason, actor, f.policy().name(), context.trigger()));
                    String subject = venue == null ? "global" : "venue:" + venue.toUpperCase(Locale.ROOT);
                    yield o.changed() ? Outcome.ok(subject, (venue == null ? "all trading" : "trading on " + venue) + " resumed")
                            : Outcome.unchanged(subject, "was not paused");
                }
            };
            case Policy.Promote x -> transition(f, ModelService.Action.PROMOTE, actor, reason, context);
            case Policy.Demote x -> transition(f, ModelService.Action.DEMOTE, actor, reason, context);
            case Policy.ReduceExposure r -> {
                if (f.model() == null) {
                    yield Outcome.skipped("model", "the firing names no model");
                }
                Model before = registry.find(f.model()).await().atMost(ACTION_TIMEOUT)
                        .orElseThrow(() -> new IllegalStateException("no model " + f.model() + " in the registry"));
                Model after = await(models.reduceExposure(f.model(), r.factor(), actor, reason, context));
                yield Outcome.ok("model:" + f.model(), "target weight " + before.targetWeight().toPlainString() + " -> "
                        + after.targetWeight().toPlainString() + " (x" + r.factor().toPlainString() + ")");
            }
            case Policy.KillSwitch k -> killSwitch(f, k.flatten());
            case Policy.Alert a -> {
                String message = render(a.message(), f);
                if ("log".equals(a.channel())) {
                    LOG.warnf("ALERT %s", message);
                }
                yield Outcome.ok("channel:" + a.channel(), message);
            }
        };
    }

    private Outcome transition(Firing f, ModelService.Action action, String actor, String reason, ModelService.PolicyContext context) {
        if (f.model() == null) {
            return Outcome.skipped("model", "the firing names no model");
        }
        Model before = registry.find(f.model()).await().atMost(ACTION_TIMEOUT)
                .orElseThrow(() -> new IllegalStateException("no model " + f.model() + " in the registry"));
        Model after = await(models.transition(f.model(), action, actor, reason, context));
        String subject = "model:" + f.model();
        return after.version() == before.version()
                ? Outcome.unchanged(subject, "model " + f.model() + " is " + after.status().dbValue() + " already")
                : Outcome.ok(subject, "model " + f.model() + " " + before.status().dbValue() + " -> " + after.status().dbValue());
    }

    /** Trips the kill switch of every engine; ok only when each one confirmed it. */
    private Outcome killSwitch(Firing f, boolean flatten) {
        String reason = "policy " + f.policy().name() + ": " + f.summary();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String venue : engines.venues()) {
            try {
                EngineAnswer answer = await(engines.tripKillSwitch(venue, reason, flatten));
                if (answer.isSuccess()) {
                    done.add(venue);
                } else {
                    failed.add(venue + " (answered " + answer.status() + ")");
                }
            } catch (RuntimeException e) {
                failed.add(venue + " (" + e.getMessage() + ")");
            }
        }
        String detail = (done.isEmpty() ? "" : "kill switch tripped" + (flatten ? " with flatten" : "") + " on " + String.join(", ", done))
                + (failed.isEmpty() ? "" : (done.isEmpty() ? "" : "; ") + "not tripped on " + String.join(", ", failed));
        return failed.isEmpty() ? Outcome.ok("engines", detail) : Outcome.failed("engines", detail);
    }

    /** Writes the action's audit line and {@code governance.action} event (and {@code alert.raised} for an alert). */
    private void record(Firing f, Policy.Action action, Outcome outcome) {
        String actor = ACTOR_PREFIX + f.policy().name();
        GovernanceAction.Trigger trigger = f.trigger();
        JsonNode triggerJson = mapper.valueToTree(trigger);
        GovernanceAction done = new GovernanceAction(f.policy().name(), action.kind(), outcome.subject(), outcome.result(), outcome.detail(),
                trigger, clock.instant());
        Counter.builder("governance.actions").description("Actions taken by governance policies").tag("policy", f.policy().name())
                .tag("action", action.kind()).tag("result", outcome.result()).register(meters).increment();
        LOG.logf(outcome.result().equals("failed") ? Logger.Level.ERROR : Logger.Level.INFO, "Policy %s %s on %s: %s, %s", f.policy().name(), action.kind(), outcome.subject(),
                outcome.result(), outcome.detail());
        List<Event> extra = action instanceof Policy.Alert a
                ? List.of(outbox.event(EventTypes.ALERT_RAISED, new AlertMessage(a.channel(), actor, f.policy().name(), outcome.detail(),
                        f.model(), f.venue(), clock.instant())))
                : List.of();
        try {
            pool.withTransaction(tx -> audit.record(tx, actor, "governance." + action.kind(), outcome.subject(), f.policy().name(), triggerJson,
                                    outcome.result(), done, outbox.event(EventTypes.GOVERNANCE_ACTION, done))
                            .call(entry -> extra.isEmpty() ? Uni.createFrom().voidItem() : outbox.append(tx, extra)))
                    .invoke(audit::committed)
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                    .await().atMost(ACTION_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.errorf("Policy %s %s (%s: %s) could not be written to the audit trail: %s", f.policy().name(), action.kind(), outcome.result(),
                    outcome.detail(), e.getMessage());
        }
    }

    /** The message with {policy}, {type}, {model}, {venue}, {symbol}, {value}, {count}, {window} and {summary} filled in. */
    static String render(String message, Firing f) {
        Policy.CountThreshold c = f.policy().match().count();
        return message.replace("{policy}", f.policy().name())
                .replace("{type}", f.last().type())
                .replace("{model}", orNone(f.model()))
                .replace("{venue}", orNone(f.venue()))
                .replace("{symbol}", orNone(f.symbol()))
                .replace("{value}", orNone(f.value()))
                .replace("{count}", f.count() == null ? NONE : String.valueOf(f.count()))
                .replace("{window}", c == null ? NONE : format(c.window()))
                .replace("{summary}", f.summary());
    }

    private static String subjectOf(Policy.Action action, Firing f) {
        return switch (action) {
            case Policy.KillSwitch k -> "engines";
            case Policy.Alert a -> "channel:" + a.channel();
            case Policy.Pause p when p.scope() == Policy.Scope.GLOBAL -> "global";
            case Policy.Resume r when r.scope() == Policy.Scope.GLOBAL -> "global";
            case Policy.Pause p when p.scope() == Policy.Scope.VENUE -> "venue:" + f.venue();
            case Policy.Resume r when r.scope() == Policy.Scope.VENUE -> "venue:" + f.venue();
            default -> "model:" + f.model();
        };
    }

    /** The venue of an event: its {@code venue} field, else the suffix of its {@code symbol} ({@code BTCUSDT.PAPER}). */
    static String venueOf(JsonNode payload, String symbol) {
        String venue = text(payload, "venue");
        if (venue != null) {
            return venue.toUpperCase(Locale.ROOT);
        }
        if (symbol != null && symbol.contains(".")) {
            return InstrumentId.parse(symbol).map(InstrumentId::venue).orElse(null);
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(ACTION_TIMEOUT);
    }

    /** Waits (up to a few seconds) until the actions queued so far have run; for an orderly stop and for tests. */
    public void drain(Duration timeout) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        actions.execute(done::countDown);
        done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() throws InterruptedException {
        actions.shutdown();
        actions.awaitTermination(5, TimeUnit.SECONDS);
    }
}
