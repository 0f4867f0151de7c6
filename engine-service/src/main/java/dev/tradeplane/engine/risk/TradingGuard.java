package dev.tradeplane.engine.risk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.RiskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The engine's trading state: the kill switch and the circuit breakers. Both are saved (with an event and, for the
 * kill switch, an audit row) before they take effect, and restored at start, so they survive a restart.
 */
@Singleton
public class TradingGuard {

    /** A breaker's state: CLOSED lets orders through, OPEN refuses them, HALF_OPEN lets one probe order through at a time. */
    public enum State {
        CLOSED,
        HALF_OPEN,
        OPEN
    }

    /** One breaker. {@code venue} is null for a breaker of the whole engine (the database). */
    public record Breaker(String name, String venue, State state, String reason, Instant since, boolean probing) {

        String key() {
            return (venue == null ? "*" : venue) + "|" + name;
        }

        boolean covers(String v) {
            return venue == null || venue.equals(v);
        }

        RiskState.Breaker toWire() {
            return new RiskState.Breaker(name, venue, state.name(), reason, since);
        }
    }

    private static final Logger LOG = Logger.getLogger(TradingGuard.class);
    static final String KILL_SWITCH = "kill_switch";
    static final String BREAKERS = "breakers";
    /** The engine-wide breaker on failed commits. */
    public static final String DATABASE = "database";
    /**
     * A venue's breaker on a state that cannot be trusted (a trade the engine could not book): opened by the engine,
     * closed only by a person ({@code DELETE /risk/breakers/reconciliation?venue=}) once it is looked into.
     */
    public static final String RECONCILIATION = "reconciliation";

    private final Pool pool;
    private final RiskSettingsRepository settings;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final boolean allowReducing;
    private final MeterRegistry registry;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    /** When the probe of each probing breaker went out. */
    private final Map<String, Instant> probes = new ConcurrentHashMap<>();
    private final VenueHealth health;
    private volatile RiskState.KillSwitch killSwitch;

    public TradingGuard(Pool pool, RiskSettingsRepository settings, Outbox outbox, ObjectMapper mapper, Clock clock, RiskConfig config,
                        MeterRegistry registry, VenueHealth health) {
        this.pool = pool;
        this.health = health;
        this.settings = settings;
        this.outbox = outbox;
        this.mapper = mapper;
        this.clock = clock;
        this.allowReducing = config.killSwitch().allowReducing();
        this.registry = registry;
        this.killSwitch = new RiskState.KillSwitch(false, null, false, null, null, allowReducing);
        Gauge.builder("kill.switch.active", this, g -> g.killSwitch.active() ? 1 : 0)
                .description("1 while the kill switch blocks new orders").register(registry);
        // The database breaker exists from the start (closed): its series is there before anything ever trips.
        gauge(new Breaker(DATABASE, null, State.CLOSED, "closed at start", clock.instant(), false));
    }

    /** Restores the kill switch and the breakers as they were saved. */
    public Uni<Void> load() {
        return settings.find(KILL_SWITCH).invoke(stored -> stored.ifPresent(s -> {
                    RiskState.KillSwitch saved = read(s.json(), new TypeReference<RiskState.KillSwitch>() { });
                    killSwitch = new RiskState.KillSwitch(saved.active(), saved.reason(), saved.flatten(), saved.trippedBy(),
                            saved.trippedAt(), allowReducing);
                }))
                .flatMap(x -> settings.find(BREAKERS))
                .invoke(stored -> stored.ifPresent(s -> {
                    for (Breaker b : read(s.json(), new TypeReference<List<Breaker>>() { })) {
                        Breaker restored = new Breaker(b.name(), b.venue(), b.state(), b.reason(), b.since(), false);
                        breakers.put(restored.key(), restored);
                        gauge(restored);
                    }
                }))
                .replaceWithVoid();
    }

    public RiskState.KillSwitch killSwitch() {
        return killSwitch;
    }

    public boolean allowsReducing() {
        return allowReducing;
    }

    /** Trips the kill switch: saved, audited and published before it takes effect. */
    public Uni<RiskState.KillSwitch> trip(String reason, boolean flatten, String by) {
        RiskState.KillSwitch next = new RiskState.KillSwitch(true, reason, flatten, by, clock.instant(), allowReducing);
        return save(next, EventTypes.KILL_SWITCH_TRIPPED, "kill_switch.trip").invoke(() -> Counter.builder("kill.switch.trips")
                .description("Times the kill switch tripped").tag("by", by.startsWith("monitor") ? "monitor" : "manual")
                .register(registry).increment());
    }

    public Uni<RiskState.KillSwitch> reset(String by) {
        RiskState.KillSwitch next = new RiskState.KillSwitch(false, "reset by " + by, false, by, clock.instant(), allowReducing);
        return save(next, EventTypes.KILL_SWITCH_RESET, "kill_switch.reset");
    }

    private Uni<RiskState.KillSwitch> save(RiskState.KillSwitch next, String eventType, String action) {
        Instant now = clock.instant();
        String before = json(killSwitch);
        String after = json(next);
        return pool.withTransaction(tx -> settings.lockVersion(tx, KILL_SWITCH)
                        .flatMap(version -> settings.save(tx, KILL_SWITCH, after, version + 1, now))
                        .flatMap(x -> settings.audit(tx, now, next.trippedBy(), action, next.reason(), before, after))
                        .flatMap(x -> outbox.append(tx, List.of(outbox.event(eventType, next)))))
                .invoke(() -> {
                    killSwitch = next;
                    outbox.committed();
                })
                .replaceWith(next);
    }

    // ---- circuit breakers

    public List<Breaker> breakers() {
        List<Breaker> out = new ArrayList<>(breakers.values());
        out.sort(Comparator.comparing(Breaker::key));
        return out;
    }

    public Optional<Breaker> breaker(String name, String venue) {
        return Optional.ofNullable(breakers.get((venue == null ? "*" : venue) + "|" + name));
    }

    /**
     * Why a new order for the venue may not go, or null: refused while a breaker of the venue (or of the engine) is
     * open, or half-open with its probe order already out. Changes nothing; {@link #claimProbe} does, once the order
     * has passed every other check.
     */
    public RiskDecision.Rejected refusal(String venue) {
        for (Breaker b : breakers.values()) {
            if (!b.covers(venue) || b.state() == State.CLOSED) {
                continue;
            }
            if (b.state() == State.OPEN || b.probing()) {
                return new RiskDecision.Rejected(RejectReason.CIRCUIT_BREAKER, "the " + b.name() + " breaker"
                        + (b.venue() == null ? "" : " of " + b.venue()) + " is " + b.state() + ": " + b.reason(), null, null);
            }
        }
        return null;
    }

    /** Makes an order that passed the checks the probe of every half-open breaker covering its venue. */
    public void claimProbe(String venue) {
        for (Breaker b : breakers.values()) {
            if (b.covers(venue) && b.state() == State.HALF_OPEN && !b.probing()) {
                breakers.computeIfPresent(b.key(), (k, cur) -> new Breaker(cur.name(), cur.venue(), cur.state(), cur.reason(), cur.since(), true));
                probes.put(b.key(), clock.instant());
            }
        }
    }

    /**
     * The venue answered (or failed) an order: a half-open breaker of the venue closes on success, its window of
     * calls starting afresh, and opens again on failure. The engine-wide database breaker is not judged by venue
     * calls, see {@link #committed}.
     */
    public void probeDone(String venue, boolean ok) {
        for (Breaker b : breakers.values()) {
            if (b.venue() != null && b.venue().equals(venue) && b.state() == State.HALF_OPEN && b.probing()) {
                if (ok) {
                    health.clear(venue);
                }
                move(b.name(), b.venue(), ok ? State.CLOSED : State.OPEN, ok ? "probe order succeeded" : "probe order failed");
            }
        }
    }

    /**
     * A lane's commit succeeded or failed. A half-open database breaker closes on the first commit that succeeds
     * (whichever order made it) and opens again on one that fails.
     */
    public void committed(boolean ok) {
        Breaker b = breakers.get("*|" + DATABASE);
        if (b == null || b.state() != State.HALF_OPEN) {
            return;
        }
        if (ok) {
            health.clearDatabase();
        }
        move(DATABASE, null, ok ? State.CLOSED : State.OPEN, ok ? "a commit succeeded" : "a commit failed while half-open");
    }

    /**
     * Frees the probe slot of half-open breakers whose probe has had no answer for {@code timeout} (an order that
     * was refused later, or whose venue call never returned), so another order can probe.
     */
    public void releaseStaleProbes(Duration timeout) {
        Instant now = clock.instant();
        for (Breaker b : breakers.values()) {
            Instant started = probes.get(b.key());
            if (b.state() == State.HALF_OPEN && b.probing() && started != null && Duration.between(started, now).compareTo(timeout) >= 0) {
                breakers.computeIfPresent(b.key(), (k, cur) -> cur.state() == State.HALF_OPEN
                        ? new Breaker(cur.name(), cur.venue(), cur.state(), cur.reason(), cur.since(), false) : cur);
                probes.remove(b.key());
                LOG.infof("Circuit breaker %s%s: the probe order got no answer within %s; the next order probes again", b.name(),
                        b.venue() == null ? "" : " of " + b.venue(), timeout);
            }
        }
    }

    /**
     * Closes a breaker by hand (an admin who looked into why it opened); false when there is no such breaker. A breaker
     * the monitor judges opens again while its cause holds.
     */
    public boolean close(String name, String venue, String by) {
        if (breaker(name, venue).isEmpty()) {
            return false;
        }
        move(name, venue, State.CLOSED, "closed by " + by);
        return true;
    }

    /** Moves a breaker to a state (creating it), saving and publishing the change; no-op when it is already there. */
    public void move(String name, String venue, State state, String reason) {
        String key = (venue == null ? "*" : venue) + "|" + name;
        Breaker current = breakers.get(key);
        if (current == null && state == State.CLOSED || current != null && current.state() == state) {
            return;
        }
        Breaker next = new Breaker(name, venue, state, reason, clock.instant(), false);
        breakers.put(key, next);
        probes.remove(key);
        gauge(next);
        LOG.infof("Circuit breaker %s%s is now %s: %s", name, venue == null ? "" : " of " + venue, state, reason);
        String all = json(breakers());
        Instant now = clock.instant();
        pool.withTransaction(tx -> settings.lockVersion(tx, BREAKERS)
                        .flatMap(v -> settings.save(tx, BREAKERS, all, v + 1, now))
                        .flatMap(x -> outbox.append(tx, List.of(outbox.event(EventTypes.BREAKER_CHANGED, next.toWire())))))
                .invoke(outbox::committed)
                .subscribe().with(ok -> { }, e -> LOG.warnf("Breaker change of %s not saved: %s", key, e.getMessage()));
    }

    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

    private void gauge(Breaker b) {
        String key = b.key();
        if (gauges.putIfAbsent(key, Boolean.TRUE) == null) {
            Gauge.builder("circuit.breaker.state", breakers, m -> {
                        Breaker now = m.get(key);
                        return now == null ? 0 : now.state().ordinal();
                    })
                    .description("0 closed, 1 half-open, 2 open").tags("breaker", b.name(), "venue", b.venue() == null ? "*" : b.venue())
                    .strongReference(true).register(registry);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored risk state is unreadable", e);
        }
    }
}
