package dev.tradeplane.engine.risk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Decimals;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RiskLimits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The risk limits in force: the stored document, or until one is stored the defaults from configuration. A change
 * is validated, compared with the version the caller read, saved with an audit row and a {@code risk.limits_changed}
 * event in one transaction, and only then applied.
 */
@Singleton
public class RiskLimitsStore {

    static final String NAME = "limits";
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    private final Pool pool;
    private final RiskSettingsRepository settings;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Venues venues;
    private volatile EffectiveLimits current;

    public RiskLimitsStore(Pool pool, RiskSettingsRepository settings, Outbox outbox, ObjectMapper mapper, Clock clock, Venues venues,
                           RiskConfig config) {
        this.pool = pool;
        this.settings = settings;
        this.outbox = outbox;
        this.mapper = mapper;
        this.clock = clock;
        this.venues = venues;
        this.current = new EffectiveLimits(defaults(config));
    }

    static RiskLimits defaults(RiskConfig c) {
        LimitSet global = new LimitSet(c.maxOrderQuantity().orElse(null), c.maxOrderNotional(), c.maxPositionQuantity().orElse(null),
                c.maxPositionNotional(), c.maxGrossExposure().orElse(null), c.maxNetExposure().orElse(null), c.priceBandBps(),
                c.maxOpenOrders(), c.ordersPerSecond(), c.orderBurst(), c.maxDailyLoss().orElse(null), c.maxDrawdownPct().orElse(null),
                c.allowedSymbols().map(RiskLimitsStore::upper).orElse(null), c.deniedSymbols().map(RiskLimitsStore::upper).orElse(null));
        return new RiskLimits(global, Map.of(), Map.of(), Map.of(), 0L, null);
    }

    public EffectiveLimits current() {
        return current;
    }

    /** Loads the stored limits, if any. */
    public Uni<Void> load() {
        return settings.find(NAME).invoke(stored -> stored.ifPresent(s -> {
            RiskLimits read = read(s.json());
            use(new RiskLimits(read.global(), read.venues(), read.models(), read.symbols(), s.version(), read.updatedAt()));
        })).replaceWithVoid();
    }

    /** Puts limits in force in memory (after they are saved, or in tests). */
    void use(RiskLimits limits) {
        current = new EffectiveLimits(limits);
    }

    /** Replaces the whole document. {@code next.version()}, when given, must be the version in force. */
    public Uni<RiskLimits> replace(RiskLimits next, String actor) {
        RiskLimits normalized = validate(next);
        Instant now = clock.instant();
        return pool.withTransaction(tx -> settings.lockVersion(tx, NAME).flatMap(version -> {
                    long inForce = Math.max(version, current.document().version());
                    if (next.version() != null && next.version() != inForce) {
                        throw new ProblemException(Problem.of(ProblemTypes.VERSION_CONFLICT, "Limits changed meanwhile", 409,
                                "You sent version " + next.version() + " but version " + inForce + " is in force; read the limits again."));
                    }
                    RiskLimits saved = new RiskLimits(normalized.global(), normalized.venues(), normalized.models(), normalized.symbols(),
                            inForce + 1, now);
                    String before = json(current.document());
                    String after = json(saved);
                    return settings.save(tx, NAME, after, saved.version(), now)
                            .flatMap(x -> settings.audit(tx, now, actor, "limits.replace", "version " + saved.version(), before, after))
                            .flatMap(x -> outbox.append(tx, List.of(outbox.event(EventTypes.LIMITS_CHANGED, saved))))
                            .replaceWith(saved);
                }))
                .invoke(saved -> {
                    current = new EffectiveLimits(saved);
                    outbox.committed();
                });
    }

    /** Checks every value and normalizes names (upper-case venues and symbols); a 400 names each bad field. */
    RiskLimits validate(RiskLimits r) {
        if (r == null) {
            throw Problems.invalid("body", "a limits document is required");
        }
        List<FieldError> errors = new ArrayList<>();
        LimitSet global = check(errors, "global", r.global() == null ? LimitSet.NONE : r.global());
        Map<String, LimitSet> venueSets = new TreeMap<>();
        Map<String, LimitSet> modelSets = new TreeMap<>();
        Map<String, LimitSet> symbolSets = new TreeMap<>();
        if (r.venues() != null) {
            r.venues().forEach((name, set) -> {
                String venue = name.toUpperCase(Locale.ROOT);
                if (venues.venue(venue).isEmpty()) {
                    errors.add(new FieldError("venues." + name, "unknown venue"));
                }
                venueSets.put(venue, check(errors, "venues." + name, set));
            });
        }
        if (r.models() != null) {
            r.models().forEach((name, set) -> {
                if (!MODEL.matcher(name).matches()) {
                    errors.add(new FieldError("models." + name, "a model name is 1 to 64 letters, digits or . _ -"));
                }
                modelSets.put(name, check(errors, "models." + name, set));
            });
        }
        if (r.symbols() != null) {
            r.symbols().forEach((name, set) -> {
                InstrumentId id = InstrumentId.parse(name).orElse(null);
                if (id == null || venues.instrument(id).isEmpty()) {
                    errors.add(new FieldError("symbols." + name, "unknown symbol; see GET /instruments"));
                    return;
                }
                symbolSets.put(id.toString(), check(errors, "symbols." + name, set));
            });
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return new RiskLimits(global, venueSets, modelSets, symbolSets, r.version(), null);
    }

    private LimitSet check(List<FieldError> errors, String path, LimitSet s) {
        if (s == null) {
            return LimitSet.NONE;
        }
        nonNegative(errors, path + ".max_order_quantity", s.maxOrderQuantity());
        nonNegative(errors, path + ".max_order_notional", s.maxOrderNotional());
        nonNegative(errors, path + ".max_position_quantity", s.maxPositionQuantity());
        nonNegative(errors, path + ".max_position_notional", s.maxPositionNotional());
        nonNegative(errors, path + ".max_gross_exposure", s.maxGrossExposure());
        nonNegative(errors, path + ".max_net_exposure", s.maxNetExposure());
        nonNegative(errors, path + ".price_band_bps", s.priceBandBps());
        nonNegative(errors, path + ".orders_per_second", s.ordersPerSecond());
        nonNegative(errors, path + ".max_daily_loss", s.maxDailyLoss());
        nonNegative(errors, path + ".max_drawdown_pct", s.maxDrawdownPct());
        if (s.maxDrawdownPct() != null && s.maxDrawdownPct().compareTo(BigDecimal.valueOf(100)) > 0) {
            errors.add(new FieldError(path + ".max_drawdown_pct", "is a percentage, at most 100"));
        }
        if (s.maxOpenOrders() != null && s.maxOpenOrders() < 0) {
            errors.add(new FieldError(path + ".max_open_orders", "must be zero or more"));
        }
        if (s.orderBurst() != null && s.orderBurst() < 1) {
            errors.add(new FieldError(path + ".order_burst", "must be at least 1"));
        }
        List<String> allowed = symbols(errors, path + ".allowed_symbols", s.allowedSymbols());
        List<String> denied = symbols(errors, path + ".denied_symbols", s.deniedSymbols());
        return new LimitSet(s.maxOrderQuantity(), s.maxOrderNotional(), s.maxPositionQuantity(), s.maxPositionNotional(),
                s.maxGrossExposure(), s.maxNetExposure(), s.priceBandBps(), s.maxOpenOrders(), s.ordersPerSecond(), s.orderBurst(),
                s.maxDailyLoss(), s.maxDrawdownPct(), allowed, denied);
    }

    private static List<String> symbols(List<FieldError> errors, String path, List<String> list) {
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : list) {
            InstrumentId id = s == null ? null : InstrumentId.parse(s).orElse(null);
            if (id == null) {
                errors.add(new FieldError(path, "entries look like BTCUSDT.PAPER"));
            } else {
                out.add(id.toString());
            }
        }
        return out;
    }

    private static void nonNegative(List<FieldError> errors, String field, BigDecimal value) {
        if (value != null && (!Decimals.fits(value) || value.signum() < 0)) {
            errors.add(new FieldError(field, "must be zero or more, and in range"));
        }
    }

    private static List<String> upper(List<String> symbols) {
        return symbols.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RiskLimits read(String json) {
        try {
            return mapper.readValue(json, RiskLimits.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored risk limits are unreadable", e);
        }
    }
}
