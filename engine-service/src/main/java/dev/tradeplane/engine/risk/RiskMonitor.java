package dev.tradeplane.engine.risk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.account.Balances;
import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.RiskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Watches the engine every {@code tradeplane.risk.monitor-interval}: each venue's equity and each model's PnL, their
 * peaks and their PnL since 00:00 UTC, and the circuit breakers' causes (stale market data, venue errors and latency,
 * database failures). A breached monitor trips the kill switch. Peaks and day baselines are saved, so a restart does
 * not forget a loss.
 */
@Singleton
public class RiskMonitor {

    /** A scope's peak and the value it had when the day began. */
    public record Mark(BigDecimal peak, LocalDate day, BigDecimal dayStart) {}

    private static final Logger LOG = Logger.getLogger(RiskMonitor.class);
    static final String NAME = "monitors";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Venues venues;
    private final Balances balances;
    private final Valuation valuation;
    private final PositionsView positions;
    private final RiskLimitsStore limits;
    private final TradingGuard guard;
    private final VenueHealth health;
    private final RiskSettingsRepository settings;
    private final RiskConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    private final Map<String, RiskState.Monitor> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();
    private volatile Consumer<String> onBreach = reason -> { };
    private volatile Instant lastSaved = Instant.EPOCH;

    public RiskMonitor(Venues venues, Balances balances, Valuation valuation, PositionsView positions, RiskLimitsStore limits,
                       TradingGuard guard, VenueHealth health, RiskSettingsRepository settings, RiskConfig config, ObjectMapper mapper,
                       Clock clock, MeterRegistry registry) {
        this.venues = venues;
        this.balances = balances;
        this.valuation = valuation;
        this.positions = positions;
        this.limits = limits;
        this.guard = guard;
        this.health = health;
        this.settings = settings;
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.registry = registry;
    }

    /** What to do when a monitor is breached (the kill switch service trips the switch). */
    public void onBreach(Consumer<String> action) {
        this.onBreach = action;
    }

    public Uni<Void> load() {
        return settings.find(NAME).invoke(stored -> stored.ifPresent(s -> {
            try {
                marks.putAll(mapper.readValue(s.json(), new TypeReference<Map<String, Mark>>() { }));
            } catch (JsonProcessingException e) {
                LOG.warnf("Saved monitor marks are unreadable; starting afresh: %s", e.getMessage());
            }
        })).replaceWithVoid();
    }

    /** The latest view of every monitored scope. */
    public List<RiskState.Monitor> monitors() {
        return latest.values().stream().sorted(java.util.Comparator.comparing(RiskState.Monitor::scope)).toList();
    }

    /** PnL since 00:00 UTC of a scope ({@code venue:PAPER}, {@code model:m1}), if it has been seen. */
    public Optional<BigDecimal> dailyPnl(String scope) {
        return Optional.ofNullable(latest.get(scope)).map(RiskState.Monitor::dailyPnl);
    }

    /** One round: breakers, then monitors. */
    public void evaluate() {
        Instant now = clock.instant();
        for (Venue venue : venues.all()) {
            judgeBreakers(venue, now);
        }
        judgeDatabase();
        guard.releaseStaleProbes(probeTimeout());
        EffectiveLimits effective = limits.current();
        List<String> breaches = new ArrayList<>();
        BigDecimal peakEquityAll = BigDecimal.ZERO;
        for (Venue venue : venues.all()) {
            BigDecimal equity = valuation.equityUsd(venue.name(), balances.of(venue.name()));
            RiskState.Monitor m = observe(ExposureLedger.venueScope(venue.name()), equity, null,
                    effective.forVenue(venue.name(), LimitSet::maxDailyLoss), effective.forVenue(venue.name(), LimitSet::maxDrawdownPct), now);
            peakEquityAll = peakEquityAll.add(m.peakEquity());
            breach(m, breaches);
        }
        Map<String, BigDecimal> pnlByModel = new HashMap<>();
        for (PositionsView.Entry e : positions.all()) {
            BigDecimal mark = valuation.mark(e.instrument()).orElse(null);
            pnlByModel.merge(e.model(), e.position().realizedPnl().add(e.position().unrealizedAt(mark)), BigDecimal::add);
        }
        for (Map.Entry<String, BigDecimal> model : pnlByModel.entrySet()) {
            RiskState.Monitor m = observe(ExposureLedger.modelScope(model.getKey()), model.getValue(), peakEquityAll,
                    effective.forModel(model.getKey(), LimitSet::maxDailyLoss), effective.forModel(model.getKey(), LimitSet::maxDrawdownPct), now);
            breach(m, breaches);
        }
        if (!breaches.isEmpty() && !guard.killSwitch().active()) {
            onBreach.accept(String.join("; ", breaches));
        }
        if (Duration.between(lastSaved, now).compareTo(Duration.ofSeconds(10)) >= 0) {
            lastSaved = now;
            save(now);
        }
    }

    /**
     * Updates a scope's peak and day baseline. A venue's drawdown is against its own peak equity; a model's (whose
     * "equity" is its PnL) against the peak equity of all venues, so both read as a share of the account.
     */
    RiskState.Monitor observe(String scope, BigDecimal value, BigDecimal base, BigDecimal maxDailyLoss, BigDecimal maxDrawdownPct,
                                      Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Mark mark = marks.compute(scope, (k, m) -> {
            if (m == null) {
                return new Mark(value, today, value);
            }
            BigDecimal peak = m.peak().max(value);
            return today.equals(m.day()) ? new Mark(peak, m.day(), m.dayStart()) : new Mark(peak, today, value);
        });
        BigDecimal reference = base != null ? base : mark.peak();
        BigDecimal drawdown = reference.signum() <= 0 ? BigDecimal.ZERO
                : mark.peak().subtract(value).multiply(HUNDRED).divide(reference, 4, RoundingMode.HALF_EVEN);
        BigDecimal daily = value.subtract(mark.dayStart());
        RiskState.Monitor monitor = new RiskState.Monitor(scope, money(value), money(mark.peak()), drawdown.stripTrailingZeros(),
                money(daily), maxDailyLoss, maxDrawdownPct);
        latest.put(scope, monitor);
        gauges(scope);
        return monitor;
    }

    private static void breach(RiskState.Monitor m, List<String> breaches) {
        if (m.maxDailyLoss() != null && m.dailyPnl().negate().compareTo(m.maxDailyLoss()) >= 0) {
            breaches.add(m.scope() + " lost " + m.dailyPnl().negate().toPlainString() + " today (max_daily_loss " + m.maxDailyLoss().toPlainString() + ")");
        }
        if (m.maxDrawdownPct() != null && m.drawdownPct().compareTo(m.maxDrawdownPct()) >= 0) {
            breaches.add(m.scope() + " is " + m.drawdownPct().toPlainString() + "% below its peak (max_drawdown_pct "
                    + m.maxDrawdownPct().toPlainString() + ")");
        }
    }

    private void judgeBreakers(Venue venue, Instant now) {
        RiskConfig.BreakerConfig b = config.breakers();
        String v = venue.name();
        if (b.staleAfter().isZero()) {
            // Switched off: a breaker it opened before (saved, restored at start) must not stay open for good.
            guard.move("market_data", v, TradingGuard.State.CLOSED, "the stale market data check is off (stale-after=0s)");
        } else {
            Duration oldest = Duration.ZERO;
            for (Instrument instrument : venue.instruments()) {
                String symbol = InstrumentId.parse(instrument.symbol()).orElseThrow().symbol();
                Optional<TopOfBook> top = venue.topOfBook(symbol);
                Duration age = top.map(t -> Duration.between(t.time(), now)).orElse(Duration.ofDays(1));
                oldest = age.compareTo(oldest) > 0 ? age : oldest;
            }
            if (oldest.compareTo(b.staleAfter()) > 0) {
                guard.move("market_data", v, TradingGuard.State.OPEN, "no market data for " + oldest.toSeconds() + " s");
            } else {
                guard.move("market_data", v, TradingGuard.State.CLOSED, "market data is fresh again");
            }
        }
        VenueHealth.Window window = health.window(v, b.window());
        boolean errors = window.calls() >= b.minCalls() && window.errorRate() >= b.errorRate().doubleValue();
        boolean slow = window.calls() >= b.minCalls() && window.p90Millis() > b.latency().toMillis();
        openOrCool("venue_errors", v, errors, "venue errors: " + window.failures() + " of " + window.calls() + " calls", now);
        openOrCool("venue_latency", v, slow, "venue answers take " + window.p90Millis() + " ms (p90)", now);
    }

    /** How long a probe order may go unanswered before another order may probe: the cooldown, at least 5 s. */
    private Duration probeTimeout() {
        Duration cooldown = config.breakers().cooldown();
        return cooldown.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : cooldown;
    }

    private void judgeDatabase() {
        int failures = health.databaseFailures(config.breakers().window());
        openOrCool(TradingGuard.DATABASE, null, failures >= config.breakers().databaseFailures(), failures + " failed commits", clock.instant());
    }

    /**
     * A closed breaker opens when its cause holds. An open one turns half-open once the cooldown has passed, whether
     * or not its window still shows the cause: the probe order decides (its success closes the breaker and starts the
     * window afresh, its failure opens it again). A probe that gets no answer frees its slot after the cooldown.
     */
    private void openOrCool(String name, String venue, boolean cause, String reason, Instant now) {
        Optional<TradingGuard.Breaker> current = guard.breaker(name, venue);
        TradingGuard.State state = current.map(TradingGuard.Breaker::state).orElse(TradingGuard.State.CLOSED);
        if (state == TradingGuard.State.CLOSED) {
            if (cause) {
                guard.move(name, venue, TradingGuard.State.OPEN, reason);
            }
            return;
        }
        if (state == TradingGuard.State.OPEN && Duration.between(current.get().since(), now).compareTo(config.breakers().cooldown()) >= 0) {
            guard.move(name, venue, TradingGuard.State.HALF_OPEN, "cooldown passed; the next order is a probe");
        }
    }

    private void save(Instant now) {
        try {
            settings.put(NAME, mapper.writeValueAsString(Map.copyOf(marks)), now)
                    .subscribe().with(ok -> { }, e -> LOG.warnf("Monitor marks not saved: %s", e.getMessage()));
        } catch (JsonProcessingException e) {
            LOG.warnf("Monitor marks not serializable: %s", e.getMessage());
        }
    }

    private void gauges(String scope) {
        if (gauges.putIfAbsent(scope, Boolean.TRUE) == null) {
            Gauge.builder("risk.drawdown.pct", latest, m -> m.containsKey(scope) ? m.get(scope).drawdownPct().doubleValue() : 0)
                    .description("Fall from the peak, percent of the account").tag("scope", scope).strongReference(true).register(registry);
            Gauge.builder("risk.daily.pnl", latest, m -> m.containsKey(scope) ? m.get(scope).dailyPnl().doubleValue() : 0)
                    .description("PnL since 00:00 UTC, quote currency").tag("scope", scope).strongReference(true).register(registry);
        }
    }

    private static BigDecimal money(BigDecimal v) {
        return v.setScale(8, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
