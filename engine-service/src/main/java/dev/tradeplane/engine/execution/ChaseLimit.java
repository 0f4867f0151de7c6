package dev.tradeplane.engine.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.idempotency.RequestHash;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.fill.FillRepository;
import dev.tradeplane.engine.order.OrderService;
import dev.tradeplane.engine.order.OrderValidator;
import dev.tradeplane.engine.order.StoredResponse;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Execution;
import dev.tradeplane.model.ExecutionReport;
import dev.tradeplane.model.Fill;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.ReplaceRequest;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The ChaseLimit execution algorithm. It drives the OMS the way a careful trader would, through the same calls as the
 * API, so every child order and every re-price passes the risk rails: a post-only LIMIT at the best price of its side;
 * on each touch, a cancel/replace to the new best price when the market moved away by more than the threshold, within
 * the maximum chase distance from the arrival mid; at the deadline (or past that distance) the order is canceled and
 * what is left goes out as a MARKET order (or stays canceled). Partial fills are kept: only the rest chases.
 * <p>
 * Nothing is lost or doubled: the chase is written (with the price of its first child order) before that order is
 * placed, under the request's idempotency key, so a retry places the very same order; the chase's other orders have
 * idempotency keys of their own derived from it ({@link ChaseKeys}); a restart resumes every chase still working.
 */
@Singleton
public class ChaseLimit {

    private static final Logger LOG = Logger.getLogger(ChaseLimit.class);
    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);
    private static final String ALGO = "chase_limit";
    private static final String FALLING_BACK = "falling_back";
    private static final String FALLBACK_SUFFIX = "fallback";
    /** The states of a chase still worked (after 'placing'). */
    private static final java.util.Set<String> ACTIVE = java.util.Set.of("working", "falling_back");
    /** The states of a chase a restart takes up again. */
    private static final java.util.Set<String> RESUMABLE = java.util.Set.of("placing", "working", "falling_back");
    private static final int PLACE_ATTEMPTS = 3;
    /**
     * Orders a chase places anew at most: past it (a market that keeps moving into every post-only order, a venue that
     * keeps dropping them) what is left goes to the fallback rather than out as one more order.
     */
    static final int MAX_RENEWALS = 50;
    private static final String COLUMNS = "idempotency_key, request_hash, order_id, symbol, venue, side, model, quantity, first_price, attempt, "
            + "execution::text AS execution, arrival_mid, reprices, state, fallback_order_id, arrived_at, ended_at, current_order_id, renewals, "
            + "renew_price, renew_quantity, renewal_order_ids";
    /** The suffix of the key of the {@code n}th order a chase places anew: {@code r<n>}. */
    private static final String RENEWAL_PREFIX = "r";

    /**
     * A chase being worked. {@code busy} keeps one action at a time per chase: an action is claimed before the
     * decision is taken, so no decision acts on a price another action is changing. {@code fallingBack} is set once
     * the chase has decided to fall back (and written so): from then on it only finishes the fallback.
     * {@code handle} is its first order (the API's handle of the chase); {@code orderId} the order it works now: the
     * first, or the latest placed anew ({@code renewals}, each for {@code renewQuantity} at {@code price}), null
     * while one of those is being placed.
     */
    static final class Working {
        final String key;
        final UUID handle;
        final InstrumentId instrument;
        final Side side;
        final Execution execution;
        final BigDecimal arrivalMid;
        final Instant arrivedAt;
        final String model;
        final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
        volatile UUID orderId;
        volatile BigDecimal price;
        volatile int reprices;
        volatile boolean fallingBack;
        volatile int renewals;
        volatile BigDecimal renewQuantity;
        /** After a refused action, nothing more is tried before this time (the venue's or the rails' "not now"). */
        volatile Instant quietUntil = Instant.EPOCH;

        Working(String key, InstrumentId instrument, Side side, Execution execution, BigDecimal arrivalMid, Instant arrivedAt, String model,
                UUID handle, UUID orderId, BigDecimal price, int reprices, boolean fallingBack, int renewals, BigDecimal renewQuantity) {
            this.key = key;
            this.handle = handle;
            this.renewals = renewals;
            this.renewQuantity = renewQuantity;
            this.instrument = instrument;
            this.side = side;
            this.execution = execution;
            this.arrivalMid = arrivalMid;
            this.arrivedAt = arrivedAt;
            this.model = model;
            this.orderId = orderId;
            this.price = price;
            this.reprices = reprices;
            this.fallingBack = fallingBack;
        }

        Instant deadline() {
            return arrivedAt.plusSeconds(execution.deadlineSeconds());
        }

        boolean claim() {
            return busy.compareAndSet(false, true);
        }

        void release() {
            busy.set(false);
        }
    }

    private final OrderService orders;
    private final OrderValidator validator;
    private final FillRepository fills;
    private final Venues venues;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<UUID, Working> working = new ConcurrentHashMap<>();
    private final Map<String, Uni<StoredResponse>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    /** Chases whose resume failed (by key, with the tries so far): tried again every round. */
    private final Map<String, Integer> unresumed = new ConcurrentHashMap<>();
    private final Timer decisionLatency;

    public ChaseLimit(OrderService orders, OrderValidator validator, FillRepository fills, Venues venues, Pool pool, ObjectMapper mapper, Clock clock,
                      MeterRegistry registry) {
        this.orders = orders;
        this.validator = validator;
        this.fills = fills;
        this.venues = venues;
        this.pool = pool;
        this.mapper = mapper;
        this.clock = clock;
        this.registry = registry;
        this.decisionLatency = Timer.builder("execution.decision.latency")
                .description("From a new touch seen (a book update applied) to the re-price it decides being handed to the OMS")
                .tag("algo", ALGO).publishPercentiles(0.5, 0.99).register(registry);
        orders.onTouch(this::onQuote);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A new chase

    /** Places a MARKET order with {@code execution} CHASE_LIMIT; answers as {@code POST /orders} does, with the child order. */
    public Uni<StoredResponse> submit(String idempotencyKey, OrderRequest request) {
        // Every check on the request's face first: nothing is hashed (which expands its decimals) or written before.
        Execution execution = validator.validateWorked(request);
        String key = validator.idempotencyKey(idempotencyKey, request.clientOrderId());
        String hash = RequestHash.of(request);
        return inFlight.computeIfAbsent(key, k -> start(k, hash, request, execution)
                .onTermination().invoke(() -> inFlight.remove(k)).memoize().indefinitely());
    }

    private Uni<StoredResponse> start(String key, String hash, OrderRequest request, Execution execution) {
        InstrumentId id = InstrumentId.parse(request.symbol()).orElseThrow(() -> Problems.invalid("symbol", "SYMBOL.VENUE, e.g. BTCUSDT.PAPER"));
        if (venues.instrument(id).isEmpty()) {
            throw Problems.invalid("symbol", "unknown symbol " + id + "; see GET /instruments");
        }
        return row(key).flatMap(existing -> {
            if (existing.isPresent()) {
                if (!existing.get().getString("request_hash").equals(hash)) {
                    throw Problems.keyReused("Idempotency-Key " + key + " was first used for a different order.");
                }
                return retry(existing.get(), id, request);
            }
            TopOfBook top = touchToStartAt(id);
            BigDecimal price = top.joining(request.side());
            Instant now = clock.instant();
            return pool.preparedQuery("INSERT INTO chases (idempotency_key, request_hash, symbol, venue, side, quantity, first_price, execution, "
                            + "arrival_mid, state, arrived_at, model) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, 'placing', $10, $11) "
                            + "ON CONFLICT (idempotency_key) DO NOTHING")
                    .execute(Tuple.from(new Object[] {key, hash, id.symbol(), id.venue(), request.side().name(), request.quantity(), price,
                            json(execution), top.mid(), now.atOffset(ZoneOffset.UTC), request.model()}))
                    .flatMap(x -> row(key))
                    .flatMap(row -> placeChild(row.orElseThrow(), request));
        });
    }

    private TopOfBook touchToStartAt(InstrumentId id) {
        return venues.venue(id).topOfBook(id.symbol()).orElseThrow(() -> Problems.unavailable(ProblemTypes.SERVICE_UNAVAILABLE,
                "No market data", "The venue has no market for " + id + " yet: a chase starts at the touch.", 1));
    }

    /**
     * A retry of a chase's request. Its first order placed (or refused for good), the answer is replayed. Still
     * {@code placing} with no order under its key, the first try was refused before anything was written (a breaker
     * open, the order rate, the engine starting) and the chase never began: it begins now, at the touch and mid of now
     * (its price, arrival mid and deadline are not those of a market the client was told to wait out).
     */
    private Uni<StoredResponse> retry(Row row, InstrumentId id, OrderRequest request) {
        if (!"placing".equals(row.getString("state"))) {
            return placeChild(row, request);
        }
        String key = row.getString("idempotency_key");
        int attempt = row.getInteger("attempt");
        return orders.byIdempotencyKey(childKey(key, attempt)).flatMap(placed -> {
            if (placed.isPresent()) {
                return placeChild(row, request);
            }
            TopOfBook top = touchToStartAt(id);
            BigDecimal price = top.joining(request.side());
            return pool.preparedQuery("UPDATE chases SET first_price = $2, arrival_mid = $3, arrived_at = $4 WHERE idempotency_key = $1 "
                            + "AND state = 'placing' AND attempt = $5")
                    .execute(Tuple.of(key, price, top.mid(), clock.instant().atOffset(ZoneOffset.UTC), attempt))
                    .flatMap(x -> row(key))
                    .flatMap(fresh -> placeChild(fresh.orElseThrow(), request));
        });
    }

    private static String childKey(String key, int attempt) {
        return ChaseKeys.derive(key, attempt == 0 ? null : Integer.toString(attempt));
    }

    /**
     * Places (or, for a retry, replays) the first child order with the price written in the chase. When post-only
     * refuses it because the market moved in between, it is placed again at the new touch, under a key of its own.
     */
    private Uni<StoredResponse> placeChild(Row row, OrderRequest request) {
        String key = row.getString("idempotency_key");
        int attempt = row.getInteger("attempt");
        BigDecimal price = row.getBigDecimal("first_price").stripTrailingZeros();
        String suffix = attempt == 0 ? null : Integer.toString(attempt);
        String childKey = childKey(key, attempt);
        String clientId = ChaseKeys.derive(request.clientOrderId() != null ? request.clientOrderId() : key, suffix);
        OrderRequest child = new OrderRequest(clientId, request.symbol(), request.side(),
                OrderType.LIMIT, request.quantity(), null, price, null, null, null, null, TimeInForce.GTC, null, true, request.model(), null);
        return Uni.createFrom().deferred(() -> orders.submit(childKey, child)).flatMap(answer -> {
            if (answer.status() == 422 && answer.body() != null && answer.body().contains("POST_ONLY_WOULD_TAKE") && attempt + 1 < PLACE_ATTEMPTS
                    && "placing".equals(row.getString("state"))) {
                InstrumentId id = new InstrumentId(row.getString("symbol"), row.getString("venue"));
                Optional<TopOfBook> top = venues.venue(id).topOfBook(id.symbol());
                if (top.isPresent()) {
                    BigDecimal again = top.get().joining(request.side());
                    return pool.preparedQuery("UPDATE chases SET attempt = $2, first_price = $3 WHERE idempotency_key = $1 AND attempt = $4")
                            .execute(Tuple.of(key, attempt + 1, again, attempt))
                            .flatMap(x -> row(key))
                            .flatMap(next -> placeChild(next.orElseThrow(), request));
                }
            }
            if (answer.status() != 201 || answer.orderId() == null) {
                return pool.preparedQuery("UPDATE chases SET state = 'canceled', ended_at = $2 WHERE idempotency_key = $1 AND state = 'placing'")
                        .execute(Tuple.of(key, clock.instant().atOffset(ZoneOffset.UTC))).replaceWith(answer);
            }
            UUID orderId = UUID.fromString(answer.orderId());
            return pool.preparedQuery("UPDATE chases SET order_id = $2, current_order_id = $2, state = 'working' WHERE idempotency_key = $1 "
                            + "AND state = 'placing'")
                    .execute(Tuple.of(key, orderId))
                    .flatMap(rows -> {
                        if (rows.rowCount() == 1) {
                            working.computeIfAbsent(orderId, k -> working(row, orderId, orderId));
                            return Uni.createFrom().voidItem();
                        }
                        // A retry of a chase placed before: it is worked again only if it still is now (the row read
                        // at the start of the request may say working of a chase that has ended since).
                        return row(key).flatMap(now -> now.filter(r -> ACTIVE.contains(r.getString("state")) && orderId.equals(r.getUUID("order_id")))
                                .map(this::resume).orElse(Uni.createFrom().voidItem()));
                    })
                    .replaceWith(answer);
        });
    }

    /** The chase of a row, working {@code current} (null: an order placed anew is still to be placed). */
    private Working working(Row row, UUID handle, UUID current) {
        Execution execution = read(row.getString("execution"));
        Integer reprices = row.getInteger("reprices");
        Integer renewals = row.getInteger("renewals");
        BigDecimal renewPrice = row.getBigDecimal("renew_price");
        BigDecimal renewQuantity = row.getBigDecimal("renew_quantity");
        BigDecimal price = renewals != null && renewals > 0 && renewPrice != null ? renewPrice : row.getBigDecimal("first_price");
        return new Working(row.getString("idempotency_key"), new InstrumentId(row.getString("symbol"), row.getString("venue")),
                Side.valueOf(row.getString("side")), execution, row.getBigDecimal("arrival_mid"), row.getOffsetDateTime("arrived_at").toInstant(),
                row.getString("model"), handle, current, price.stripTrailingZeros(), reprices == null ? 0 : reprices,
                FALLING_BACK.equals(row.getString("state")), renewals == null ? 0 : renewals,
                renewQuantity == null ? null : renewQuantity.stripTrailingZeros());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Working the chases

    /** A decision taken for a claimed chase, to be acted on. */
    private record Step(Working w, ChaseDecision.Kind kind, BigDecimal price) {}

    /**
     * A new touch of an instrument: every chase on it decides first, then the decisions are acted on, so each chase
     * decides on this touch before any re-price is handed to the OMS (at most one action at a time per chase).
     */
    void onQuote(String venue, String symbol, TopOfBook top) {
        List<Step> steps = new java.util.ArrayList<>(0);
        for (Working w : working.values()) {
            if (w.instrument.venue().equals(venue) && w.instrument.symbol().equals(symbol)) {
                Step step = decide(w, top);
                if (step != null) {
                    steps.add(step);
                }
            }
        }
        for (Step step : steps) {
            act(step, top);
        }
    }

    /** Every second: deadlines without a new touch, chases whose order ended by itself, and (once) the chases to resume. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!orders.isReady()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> load = !loaded ? resume() : unresumed.isEmpty() ? Uni.createFrom().voidItem() : retryUnresumed();
        return load.invoke(() -> {
            for (Working w : working.values()) {
                if (w.orderId == null) {
                    placePending(w);
                    continue;
                }
                // Decided with or without a touch: the deadline needs no market data (a Binance book not yet in step
                // after a restart must not keep a chase resting past it).
                Step step = decide(w, venues.venue(w.instrument).topOfBook(w.instrument.symbol()).orElse(null));
                if (step != null) {
                    act(step, null);
                }
                settleIfEnded(w);
            }
        }).onFailure().recoverWithItem(e -> {
            LOG.warnf("Chase round failed: %s", e.getMessage());
            return null;
        });
    }

    /**
     * The chase's decision on a touch, unless an action of the chase is under way or it was told to wait: null when
     * it holds. A chase that acts is claimed first, so its decision sees the price its last action left; the claim is
     * released when the action ends.
     */
    private Step decide(Working w, TopOfBook top) {
        if (w.orderId == null || clock.instant().isBefore(w.quietUntil) || !w.claim()) {
            return null;
        }
        try {
            if (w.fallingBack || !clock.instant().isBefore(w.deadline())) {
                return new Step(w, ChaseDecision.Kind.FALL_BACK, null);
            }
            BigDecimal tick = venues.instrument(w.instrument).map(Instrument::tickSize).orElse(null);
            if (tick != null && top != null) {
                ChaseDecision.Decision d = ChaseDecision.decide(w.side, w.price, top.bid(), top.ask(), tick, w.execution.repriceTicks(),
                        w.arrivalMid, w.execution.maxChaseBps(), w.deadline(), clock.instant());
                if (d.kind() != ChaseDecision.Kind.HOLD) {
                    return new Step(w, d.kind(), d.price());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Chase of %s could not decide: %s", w.orderId, e.getMessage());
        }
        w.release();
        return null;
    }

    /**
     * Acts on a decision: a re-price (a cancel/replace handed to the OMS), or the fallback (written as decided, then
     * carried out). {@code touch} is the new touch it was decided on, whose age at hand-over is measured.
     */
    private void act(Step step, TopOfBook touch) {
        Working w = step.w();
        Uni<Void> action;
        try {
            if (step.kind() == ChaseDecision.Kind.REPRICE) {
                if (touch != null) {
                    decisionLatency.record(Duration.between(touch.arrived(), clock.instant()));
                }
                action = reprice(w, step.price());
            } else if (w.fallingBack) {
                action = fallBack(w);
            } else {
                action = startFallBack(w);
            }
        } catch (RuntimeException e) {
            action = Uni.createFrom().failure(e);
        }
        run(w, action);
    }

    /** Runs a claimed chase's action; the claim is released when it ends, and a failure makes the chase wait a while. */
    private void run(Working w, Uni<Void> action) {
        action.onFailure().invoke(e -> quiet(w, e)).onTermination().invoke(w::release)
                .subscribe().with(ok -> { }, e -> LOG.debugf("Chase %s: %s", w.key, e.getMessage()));
    }

    /** Writes the decision to fall back, then carries it out; a chase whose row is no longer working is dropped. */
    private Uni<Void> startFallBack(Working w) {
        return pool.preparedQuery("UPDATE chases SET state = '" + FALLING_BACK + "' WHERE idempotency_key = $1 AND state = 'working'")
                .execute(Tuple.of(w.key))
                .flatMap(rows -> {
                    if (rows.rowCount() != 1) {
                        // The chase is no longer working (it ended by another path): nothing more of it is done.
                        return forget(w);
                    }
                    w.fallingBack = true;
                    return fallBack(w);
                });
    }

    /**
     * A chase with no order working, because the one it decided to place anew is not placed yet (the OMS said not
     * now, or the engine restarted in between): placed now under its key (a replay if it was placed), or, past the
     * deadline, the fallback.
     */
    private void placePending(Working w) {
        if (clock.instant().isBefore(w.quietUntil) || !w.claim()) {
            return;
        }
        Uni<Void> action;
        try {
            action = w.fallingBack ? fallBack(w) : !clock.instant().isBefore(w.deadline()) ? startFallBack(w) : placeRenewal(w);
        } catch (RuntimeException e) {
            action = Uni.createFrom().failure(e);
        }
        run(w, action);
    }

    /** After a failed action the chase waits before it tries again: as long as the answer asked, else a second. */
    private void quiet(Working w, Throwable failure) {
        int seconds = 1;
        if (failure instanceof ProblemException p && p.headers().containsKey("Retry-After")) {
            try {
                seconds = Math.max(1, Integer.parseInt(p.headers().get("Retry-After")));
            } catch (NumberFormatException ignored) {
                // keep a second
            }
        }
        w.quietUntil = clock.instant().plusSeconds(seconds);
    }

    /**
     * A cancel/replace through the OMS (risk rails included). Refused (filled or ended meanwhile, a rail, the venue
     * said not now), the chase looks at its order: still working, it waits and decides again; ended by the replace
     * itself (the venue dropped it), the rest is placed anew; ended otherwise, the chase ends.
     */
    private Uni<Void> reprice(Working w, BigDecimal price) {
        return Uni.createFrom().deferred(() -> orders.replace(w.instrument, w.orderId, new ReplaceRequest(null, price, null)))
                .flatMap(o -> {
                    w.price = price;
                    w.reprices++;
                    Counter.builder("execution.reprices").description("Re-prices of orders worked by an execution algorithm").tag("algo", ALGO)
                            .register(registry).increment();
                    return pool.preparedQuery("UPDATE chases SET reprices = $2 WHERE idempotency_key = $1").execute(Tuple.of(w.key, w.reprices))
                            // Replaced, but the venue ended the replacement as it placed it: the rest is placed anew.
                            .flatMap(x -> o.status() == OrderStatus.CANCELED || o.status() == OrderStatus.EXPIRED ? renew(w, o)
                                    : Uni.createFrom().voidItem());
                })
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    LOG.debugf("Re-price of %s to %s refused: %s", w.orderId, price, e.getMessage());
                    quiet(w, e);
                    return settle(w);
                });
    }

    /**
     * Cancels what is left, and once the order is final (nothing of it can fill any more) sends the rest as a MARKET
     * order when the fallback says so. While the cancel is refused or unconfirmed, nothing else goes out: the next
     * round tries again, so the rest is never sent twice. A MARKET order the rails refuse for good ends the chase as
     * {@code fallback_refused}; one refused for now (rate, a breaker) is tried again under the same key.
     */
    private Uni<Void> fallBack(Working w) {
        UUID current = w.orderId;
        if (current == null) {
            // An order to place anew was decided but is not known to be placed: looked up by its key first, so one
            // that was placed is canceled (and its fills kept) rather than its quantity sent a second time.
            int n = w.renewals;
            return orders.byIdempotencyKey(renewalKey(w, n)).flatMap(found -> found.isEmpty() ? left(w).flatMap(left -> sendRest(w, w.renewQuantity.min(left)))
                    : recordRenewal(w, n, UUID.fromString(found.get().id())).flatMap(x -> w.orderId == null ? Uni.createFrom().voidItem() : fallBack(w)));
        }
        return Uni.createFrom().deferred(() -> orders.cancel(w.instrument, current)).onFailure(ProblemException.class).recoverWithNull()
                .flatMap(x -> finalState(current, 50))
                .flatMap(o -> {
                    if (!o.status().isFinal()) {
                        LOG.debugf("Fallback of %s waits: its order %s is %s", w.key, current, o.status());
                        w.quietUntil = clock.instant().plusSeconds(1);
                        return Uni.createFrom().voidItem();
                    }
                    if (o.status() == OrderStatus.FILLED) {
                        return end(w, "done", null);
                    }
                    return left(w).flatMap(left -> {
                        BigDecimal rest = restOf(o).min(left);
                        return rest.signum() <= 0 ? end(w, "done", null) : sendRest(w, rest);
                    });
                });
    }

    /** The fallback of what is left once nothing of the chase's orders can fill any more: a MARKET order, or nothing. */
    private Uni<Void> sendRest(Working w, BigDecimal rest) {
        return Uni.createFrom().deferred(() -> {
                    if (w.execution.fallback() == Execution.Fallback.CANCEL) {
                        return end(w, "canceled", null);
                    }
                    if (venues.venue(w.instrument).topOfBook(w.instrument.symbol()).isEmpty()) {
                        // The rails would refuse a MARKET order without a market to price it (NO_MARKET_DATA) for good;
                        // the rest waits for market data instead, and goes out once there is a touch.
                        LOG.debugf("Fallback of %s waits for market data of %s", w.key, w.instrument);
                        w.quietUntil = clock.instant().plusSeconds(1);
                        return Uni.createFrom().voidItem();
                    }
                    OrderRequest market = OrderRequest.simple(null, w.instrument.toString(), w.side, OrderType.MARKET, rest, null, null, null, w.model);
                    // Deferred: a refusal the OMS throws at once is a failure here, handled like any other.
                    return Uni.createFrom().deferred(() -> orders.submit(ChaseKeys.derive(w.key, FALLBACK_SUFFIX), market)).flatMap(answer -> {
                        UUID fallbackId = answer.orderId() == null ? null : UUID.fromString(answer.orderId());
                        if (answer.status() == 201) {
                            return end(w, "fell_back", fallbackId);
                        }
                        LOG.warnf("Fallback MARKET order of chase %s refused (%d): %s", w.key, answer.status(), answer.body());
                        return end(w, "fallback_refused", fallbackId);
                    }).onFailure(ProblemException.class).recoverWithUni(e -> {
                        ProblemException p = (ProblemException) e;
                        if (p.status() == 429 || p.status() >= 500) {
                            LOG.infof("Fallback MARKET order of chase %s not sent yet: %s", w.key, p.getMessage());
                            return Uni.createFrom().failure(e);
                        }
                        LOG.warnf("Fallback MARKET order of chase %s refused: %s", w.key, p.getMessage());
                        return end(w, "fallback_refused", null);
                    });
                });
    }

    /** The order once it no longer waits on the venue (polling its state briefly after a cancel). */
    private Uni<Order> finalState(UUID orderId, int attempts) {
        return orders.get(orderId.toString()).flatMap(o -> {
            boolean pending = o.status() == OrderStatus.PENDING_CANCEL || o.status() == OrderStatus.PENDING_REPLACE || o.status() == OrderStatus.NEW;
            if (!pending || attempts <= 0) {
                return Uni.createFrom().item(o);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20)).flatMap(x -> finalState(orderId, attempts - 1));
        });
    }

    /** A chase whose order filled (or was canceled by someone else) ends here; one falling back finishes that. */
    private void settleIfEnded(Working w) {
        if (w.orderId == null || w.fallingBack || !w.claim()) {
            return;
        }
        settle(w).onTermination().invoke(w::release)
                .subscribe().with(ok -> { }, e -> LOG.debugf("Chase state of %s: %s", w.orderId, e.getMessage()));
    }

    private Uni<Void> settle(Working w) {
        UUID current = w.orderId;
        if (current == null) {
            return Uni.createFrom().voidItem();
        }
        return orders.get(current.toString()).flatMap(o -> switch (o.status()) {
            // Each order of a chase is for all that was left of it, so one filled is the chase done.
            case FILLED -> end(w, "done", null);
            case CANCELED, REJECTED, EXPIRED -> w.fallingBack ? fallBack(w) : afterEnded(w, o);
            default -> Uni.createFrom().voidItem();
        });
    }

    /**
     * The chase's order ended without the chase asking. Ended by a re-price (the venue dropped the order: Binance's
     * cancel/replace canceled it and refused the post-only replacement because the market had moved into it, or
     * canceled a replacement a racing fill made too large), or an order placed anew that post-only refused: the rest
     * is placed anew at the touch. An order placed anew that the rails refused: the chase falls back. Canceled on
     * someone's request (a user's DELETE, the kill switch), or ended by the venue on its own: the chase ends. A cancel
     * of an order whose re-price went unanswered ends it as a re-price would; the cancel saved on the order tells.
     */
    private Uni<Void> afterEnded(Working w, Order o) {
        if (o.status() == OrderStatus.REJECTED) {
            // Only an order placed anew can be refused while the chase works: a refused first order ends it as it is placed.
            return o.rejectReason() == RejectReason.POST_ONLY_WOULD_TAKE ? renew(w, o) : startFallBack(w);
        }
        return orders.endedByReplaceOnly(UUID.fromString(o.id())).flatMap(byReplace -> byReplace ? renew(w, o) : end(w, "canceled", null));
    }

    /**
     * Places the rest of an ended order anew: a post-only LIMIT at the touch, within the maximum chase and before the
     * deadline (else the fallback). The decision (its number, price and quantity) is written first, under the chase's
     * row still naming the ended order, so a crash cannot double it: the order is then placed under the key
     * {@code <key>:r<n>}, which replays it if it was placed already. No touch: tried again at the next round.
     */
    private Uni<Void> renew(Working w, Order ended) {
        return left(w).flatMap(left -> renew(w, ended, restOf(ended).min(left)));
    }

    private Uni<Void> renew(Working w, Order ended, BigDecimal rest) {
        if (rest.signum() <= 0) {
            return end(w, "done", null);
        }
        Instant now = clock.instant();
        if (!now.isBefore(w.deadline()) || w.renewals >= MAX_RENEWALS) {
            if (w.renewals >= MAX_RENEWALS) {
                LOG.warnf("Chase %s placed its rest anew %d times; what is left goes to its fallback", w.key, w.renewals);
            }
            return startFallBack(w);
        }
        Optional<TopOfBook> top = venues.venue(w.instrument).topOfBook(w.instrument.symbol());
        if (top.isEmpty()) {
            LOG.debugf("Chase %s waits for a touch to place its rest anew", w.key);
            w.quietUntil = now.plusSeconds(1);
            return Uni.createFrom().voidItem();
        }
        BigDecimal price = top.get().joining(w.side);
        if (ChaseDecision.beyondMaxChase(w.side, price, w.arrivalMid, w.execution.maxChaseBps())) {
            return startFallBack(w);
        }
        int n = w.renewals + 1;
        UUID endedId = UUID.fromString(ended.id());
        return pool.preparedQuery("UPDATE chases SET renewals = $2, renew_price = $3, renew_quantity = $4, current_order_id = NULL "
                        + "WHERE idempotency_key = $1 AND state = 'working' AND current_order_id = $5")
                .execute(Tuple.of(w.key, n, price, rest, endedId))
                .flatMap(rows -> {
                    if (rows.rowCount() != 1) {
                        return forget(w);
                    }
                    LOG.infof("Chase %s: its order %s ended at %s (%s); %s placed anew at %s", w.key, endedId, w.instrument.venue(),
                            ended.status(), rest.toPlainString(), price.toPlainString());
                    w.orderId = null;
                    w.renewals = n;
                    w.price = price;
                    w.renewQuantity = rest;
                    return placeRenewal(w);
                });
    }

    private static BigDecimal restOf(Order o) {
        return o.quantity().subtract(o.filledQuantity() == null ? BigDecimal.ZERO : o.filledQuantity());
    }

    /**
     * What the chase has still to trade: its quantity less what every one of its orders (the first and those placed
     * anew) has filled, as booked. An order placed anew or the fallback is never sized above it, so a fill of an
     * earlier order booked after that order ended (a late fill) cannot make the chase trade more than it was asked.
     */
    private Uni<BigDecimal> left(Working w) {
        return pool.preparedQuery("SELECT c.quantity - coalesce((SELECT sum(o.filled_quantity) FROM orders o "
                        + "WHERE o.id = c.order_id OR o.id = ANY(c.renewal_order_ids)), 0) AS left FROM chases c WHERE c.idempotency_key = $1")
                .execute(Tuple.of(w.key))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getBigDecimal("left").max(BigDecimal.ZERO) : BigDecimal.ZERO);
    }

    private static String renewalKey(Working w, int n) {
        return ChaseKeys.derive(w.key, RENEWAL_PREFIX + n);
    }

    /**
     * Places the order decided by the last {@link #renew}: post-only, for the rest, under the chase's key and
     * {@code r<n>}, with a client order id derived from the first order's. Its id is written into the chase once
     * the OMS answered (a rejected one too: the next round takes it from there).
     */
    private Uni<Void> placeRenewal(Working w) {
        int n = w.renewals;
        BigDecimal price = w.price;
        BigDecimal quantity = w.renewQuantity;
        return orders.get(w.handle.toString())
                .flatMap(first -> {
                    OrderRequest child = new OrderRequest(ChaseKeys.derive(first.clientOrderId(), RENEWAL_PREFIX + n), w.instrument.toString(), w.side,
                            OrderType.LIMIT, quantity, null, price, null, null, null, null, TimeInForce.GTC, null, true, w.model, null);
                    return Uni.createFrom().deferred(() -> orders.submit(renewalKey(w, n), child));
                })
                .onFailure(ProblemException.class).recoverWithUni(e -> {
                    ProblemException p = (ProblemException) e;
                    if (p.status() == 409 || p.status() == 429 || p.status() >= 500) {
                        return Uni.createFrom().failure(e); // not now: tried again at a later round
                    }
                    // Refused for good (the rest below the venue's minimum, a key in use): asking again would not change it.
                    LOG.warnf("Order %d of chase %s placed anew refused: %s; what is left goes to its fallback", n, w.key, p.getMessage());
                    return startFallBack(w).replaceWith((StoredResponse) null);
                })
                .flatMap(answer -> {
                    if (answer == null) {
                        return Uni.createFrom().voidItem();
                    }
                    if (answer.orderId() == null) {
                        LOG.warnf("Order %d of chase %s placed anew was answered %d without an order; tried again", n, w.key, answer.status());
                        w.quietUntil = clock.instant().plusSeconds(1);
                        return Uni.createFrom().voidItem();
                    }
                    return recordRenewal(w, n, UUID.fromString(answer.orderId()));
                });
    }

    /** Writes the order placed anew as the one the chase works (and among its orders), once. */
    private Uni<Void> recordRenewal(Working w, int n, UUID placed) {
        return pool.preparedQuery("UPDATE chases SET current_order_id = $2, renewal_order_ids = array_append(renewal_order_ids, $2) "
                        + "WHERE idempotency_key = $1 AND renewals = $3 AND current_order_id IS NULL AND state IN ('working', '" + FALLING_BACK + "')")
                .execute(Tuple.of(w.key, placed, n))
                .flatMap(rows -> {
                    if (rows.rowCount() == 1) {
                        w.orderId = placed;
                        Counter.builder("execution.renewals").description("Orders an execution algorithm placed anew for the rest, after the venue dropped its order")
                                .tag("algo", ALGO).register(registry).increment();
                        return Uni.createFrom().voidItem();
                    }
                    return row(w.key).flatMap(found -> {
                        Row r = found.orElse(null);
                        if (r != null && ACTIVE.contains(r.getString("state")) && placed.equals(r.getUUID("current_order_id"))) {
                            w.orderId = placed;
                            return Uni.createFrom().voidItem();
                        }
                        return r != null && ACTIVE.contains(r.getString("state")) ? Uni.createFrom().voidItem() : forget(w);
                    });
                });
    }

    /**
     * Ends the chase, once: only the call that moves its row from working (or falling back) to the end counts it in
     * the metrics; a chase already ended by another path is only dropped from memory.
     */
    private Uni<Void> end(Working w, String state, UUID fallbackOrderId) {
        return pool.preparedQuery("UPDATE chases SET state = $2, fallback_order_id = $3, ended_at = $4 WHERE idempotency_key = $1 "
                        + "AND state IN ('working', '" + FALLING_BACK + "')")
                .execute(Tuple.of(w.key, state, fallbackOrderId, clock.instant().atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    working.remove(w.handle, w);
                    if (rows.rowCount() != 1) {
                        LOG.debugf("Chase %s had ended already; not ended again as %s", w.key, state);
                        return Uni.createFrom().voidItem();
                    }
                    Counter.builder("executions").description("Orders worked by an execution algorithm, by how they ended").tag("algo", ALGO)
                            .tag("outcome", state).register(registry).increment();
                    return report(w.handle.toString()).invoke(r -> r.ifPresent(this::record)).replaceWithVoid();
                });
    }

    /** Drops a chase from memory whose row says it is no longer worked. */
    private Uni<Void> forget(Working w) {
        working.remove(w.handle, w);
        LOG.debugf("Chase %s is no longer working; dropped", w.key);
        return Uni.createFrom().voidItem();
    }

    /** True while the chase of this (first) order is worked in memory; for tests. */
    boolean works(UUID firstOrderId) {
        return working.containsKey(firstOrderId);
    }

    private void record(ExecutionReport r) {
        if (r.shortfallBps() != null) {
            // A DistributionSummary drops negative amounts, so a signed shortfall in one summary would lose every price
            // improvement: costs (zero included) and improvements are counted apart, each as a positive amount.
            if (r.shortfallBps().signum() >= 0) {
                DistributionSummary.builder("execution.shortfall.cost.basis.points")
                        .description("Implementation shortfall of each worked order that did no better than the arrival mid (0 or more)")
                        .tag("algo", ALGO).register(registry).record(r.shortfallBps().doubleValue());
            } else {
                DistributionSummary.builder("execution.price.improvement.basis.points")
                        .description("How much better than the arrival mid each worked order with a negative shortfall did")
                        .tag("algo", ALGO).register(registry).record(r.shortfallBps().negate().doubleValue());
            }
        }
        if (r.makerRatio() != null) {
            DistributionSummary.builder("execution.maker.ratio").description("Share of the filled quantity that rested (maker)")
                    .tag("algo", ALGO).register(registry).record(r.makerRatio().doubleValue());
        }
        if (r.fees() != null && r.averagePrice() != null && r.filledQuantity().signum() > 0) {
            BigDecimal notional = r.averagePrice().multiply(r.filledQuantity());
            DistributionSummary.builder("execution.fee.basis.points").description("Fees paid, in basis points of the filled notional")
                    .tag("algo", ALGO).register(registry)
                    .record(r.fees().multiply(TEN_THOUSAND).divide(notional, 6, RoundingMode.HALF_EVEN).doubleValue());
        }
        if (r.timeToFillMs() != null) {
            Timer.builder("execution.time.to.fill").description("From arrival to the last fill of an order filled completely")
                    .tag("algo", ALGO).register(registry).record(Duration.ofMillis(r.timeToFillMs()));
        }
    }

    /**
     * After a restart: every chase still working (or falling back) is worked again, from the price its order has now.
     * A chase cut off while its first order was being placed is looked up by that order's idempotency key: placed, it
     * is worked; never placed (or refused), it stays as it was, and a retry of the request places it.
     */
    Uni<Void> resume() {
        return pool.query("SELECT " + COLUMNS + " FROM chases WHERE state IN ('placing', 'working', '" + FALLING_BACK + "')").execute()
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        chain = chain.flatMap(x -> resumeOrRetryLater(r));
                    }
                    return chain.invoke(() -> {
                        loaded = true;
                        if (rows.size() > 0) {
                            LOG.infof("Resumed %d chased orders%s", working.size(),
                                    unresumed.isEmpty() ? "" : "; " + unresumed.size() + " could not be, tried again every second");
                        }
                    });
                });
    }

    /** Resumes one chase; one that fails is noted and tried again at the next rounds (its deadline still applies). */
    private Uni<Void> resumeOrRetryLater(Row r) {
        String key = r.getString("idempotency_key");
        return Uni.createFrom().deferred(() -> resume(r))
                .invoke(() -> unresumed.remove(key))
                .onFailure().recoverWithItem(e -> {
                    int tries = unresumed.merge(key, 1, Integer::sum);
                    if (tries == 1) {
                        LOG.warnf("Chase %s not resumed (%s); tried again every second", key, e.getMessage());
                    } else {
                        LOG.debugf("Chase %s still not resumed after %d tries: %s", key, tries, e.getMessage());
                    }
                    return null;
                });
    }

    /** The chases whose resume failed, each read afresh and tried again; one that ended meanwhile is let go. */
    private Uni<Void> retryUnresumed() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String key : List.copyOf(unresumed.keySet())) {
            chain = chain.flatMap(x -> row(key)).flatMap(found -> {
                if (found.isEmpty() || !RESUMABLE.contains(found.get().getString("state"))) {
                    unresumed.remove(key);
                    return Uni.createFrom().voidItem();
                }
                return resumeOrRetryLater(found.get());
            });
        }
        return chain;
    }

    private Uni<Void> resume(Row r) {
        UUID handle = r.getUUID("order_id");
        if (handle != null) {
            UUID current = r.getUUID("current_order_id");
            if (current == null && (r.getInteger("renewals") == null || r.getInteger("renewals") == 0)) {
                current = handle;
            }
            if (current == null) {
                // An order to place anew was decided but is not known to be placed: the next round places it under its
                // key (a replay if it was), or finds it there when the chase falls back.
                working.putIfAbsent(handle, working(r, handle, null));
                return Uni.createFrom().voidItem();
            }
            UUID worked = current;
            return orders.get(worked.toString()).invoke(o -> {
                Working w = working(r, handle, worked);
                if (o.price() != null) {
                    w.price = o.price();
                }
                working.putIfAbsent(handle, w);
            }).replaceWithVoid();
        }
        String key = r.getString("idempotency_key");
        int attempt = r.getInteger("attempt");
        return orders.byIdempotencyKey(ChaseKeys.derive(key, attempt == 0 ? null : Integer.toString(attempt))).flatMap(found -> {
            if (found.isEmpty() || found.get().status() == OrderStatus.REJECTED) {
                return Uni.createFrom().voidItem();
            }
            UUID placed = UUID.fromString(found.get().id());
            return pool.preparedQuery("UPDATE chases SET order_id = $2, current_order_id = $2, state = 'working' WHERE idempotency_key = $1 "
                            + "AND state = 'placing'")
                    .execute(Tuple.of(key, placed))
                    .invoke(rows -> {
                        if (rows.rowCount() == 1) {
                            LOG.infof("Chase %s was cut off while placing its order %s: worked from now", key, placed);
                            working.putIfAbsent(placed, working(r, placed, placed));
                        }
                    }).replaceWithVoid();
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Quality

    /** How the chase of an order did, from its fills (and its fallback's); empty when the order was not chased. */
    public Uni<Optional<ExecutionReport>> report(String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("id", "an order id (UUID)");
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM chases WHERE order_id = $1").execute(Tuple.of(id)).flatMap(rows -> {
            if (!rows.iterator().hasNext()) {
                return Uni.createFrom().item(Optional.<ExecutionReport>empty());
            }
            Row r = rows.iterator().next();
            // Every order of the chase: its first, those placed anew, the fallback.
            List<UUID> all = new java.util.ArrayList<>(List.of(id));
            all.addAll(renewalOrderIds(r));
            UUID fallback = r.getUUID("fallback_order_id");
            if (fallback != null) {
                all.add(fallback);
            }
            // All of them, however many: the sums are the chase's, not a page's.
            return fills.allOf(all).map(list -> Optional.of(quality(r, list)));
        });
    }

    private static List<UUID> renewalOrderIds(Row r) {
        UUID[] ids = r.getArrayOfUUIDs("renewal_order_ids");
        return ids == null ? List.of() : List.of(ids);
    }

    private ExecutionReport quality(Row r, List<Fill> all) {
        Side side = Side.valueOf(r.getString("side"));
        InstrumentId id = new InstrumentId(r.getString("symbol"), r.getString("venue"));
        Optional<Instrument> instrument = venues.instrument(id);
        String quote = instrument.map(Instrument::quoteAsset).orElse(null);
        BigDecimal quantity = r.getBigDecimal("quantity").stripTrailingZeros();
        BigDecimal arrival = r.getBigDecimal("arrival_mid").stripTrailingZeros();
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        BigDecimal maker = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        Instant last = null;
        for (Fill f : all) {
            filled = filled.add(f.quantity());
            notional = notional.add(f.quantity().multiply(f.price()));
            fees = fees == null ? null : feeInQuote(f, instrument.orElse(null)).map(fees::add).orElse(null);
            if (f.liquidity() == Liquidity.MAKER) {
                maker = maker.add(f.quantity());
            }
            last = last == null || f.executedAt().isAfter(last) ? f.executedAt() : last;
        }
        BigDecimal average = filled.signum() == 0 ? null : notional.divide(filled, 8, RoundingMode.HALF_EVEN).stripTrailingZeros();
        BigDecimal shortfall = average == null ? null : (side == Side.BUY ? average.subtract(arrival) : arrival.subtract(average))
                .multiply(TEN_THOUSAND).divide(arrival, 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        BigDecimal makerRatio = filled.signum() == 0 ? null : maker.divide(filled, 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        Instant arrived = r.getOffsetDateTime("arrived_at").toInstant();
        Long timeToFill = last != null && filled.compareTo(quantity) >= 0 ? Duration.between(arrived, last).toMillis() : null;
        UUID orderId = r.getUUID("order_id");
        UUID fallbackId = r.getUUID("fallback_order_id");
        UUID current = ACTIVE.contains(r.getString("state")) ? r.getUUID("current_order_id") : null;
        return new ExecutionReport(orderId == null ? null : orderId.toString(), read(r.getString("execution")), r.getString("state"), arrival,
                r.getInteger("reprices"), fallbackId == null ? null : fallbackId.toString(), quantity, filled.signum() == 0 ? BigDecimal.ZERO : filled.stripTrailingZeros(),
                average, shortfall, makerRatio, fees == null ? null : fees.signum() == 0 ? BigDecimal.ZERO : fees.stripTrailingZeros(), quote,
                timeToFill, arrived, current == null ? null : current.toString(), renewalOrderIds(r).stream().map(UUID::toString).toList());
    }

    /**
     * A fill's fee in the instrument's quote asset: as it is when charged in the quote asset, at the fill's price when
     * in the base asset, at the venue's mid when in a third asset the venue trades against the quote (BNB on Binance);
     * empty when it cannot be valued.
     */
    private Optional<BigDecimal> feeInQuote(Fill f, Instrument instrument) {
        if (f.fee() == null || f.fee().signum() == 0) {
            return Optional.of(BigDecimal.ZERO);
        }
        if (instrument == null || f.feeAsset() == null || f.feeAsset().isBlank() || f.feeAsset().equals(instrument.quoteAsset())) {
            return Optional.of(f.fee());
        }
        if (f.feeAsset().equals(instrument.baseAsset())) {
            return Optional.of(f.fee().multiply(f.price()));
        }
        Venue venue = venues.venue(instrument.venue()).orElse(null);
        if (venue == null) {
            return Optional.empty();
        }
        return venue.instruments().stream()
                .filter(i -> f.feeAsset().equals(i.baseAsset()) && instrument.quoteAsset().equals(i.quoteAsset()))
                .findFirst()
                .flatMap(i -> venue.topOfBook(InstrumentId.parse(i.symbol()).map(InstrumentId::symbol).orElse(i.symbol())))
                .map(top -> f.fee().multiply(top.mid()));
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Uni<Optional<Row>> row(String key) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM chases WHERE idempotency_key = $1").execute(Tuple.of(key))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next()) : Optional.empty());
    }

    private String json(Execution e) {
        try {
            return mapper.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Execution read(String json) {
        try {
            return mapper.readValue(json, Execution.class);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable execution of a chase: " + json, ex);
        }
    }
}
