package dev.tradeplane.engine.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.common.idempotency.RequestHash;
import dev.tradeplane.common.problem.ProblemException;
import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.account.BalanceRepository;
import dev.tradeplane.engine.account.Balances;
import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.fill.FillRepository;
import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.engine.lane.Lane;
import dev.tradeplane.engine.lane.Lanes;
import dev.tradeplane.engine.metrics.TradingMetrics;
import dev.tradeplane.engine.position.PositionRepository;
import dev.tradeplane.engine.risk.ExposureLedger;
import dev.tradeplane.engine.risk.PositionsView;
import dev.tradeplane.engine.risk.RiskDecision;
import dev.tradeplane.engine.risk.RiskRequest;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.engine.risk.VenueHealth;
import dev.tradeplane.engine.risk.RiskRails;
import dev.tradeplane.engine.venue.CancelAck;
import dev.tradeplane.engine.venue.ExecutionListener;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.VenueOrderState;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFailure;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.BracketRequest;
import dev.tradeplane.model.ContingencyType;
import dev.tradeplane.model.ContingentOrders;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OcoRequest;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderRequest;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Problem;
import dev.tradeplane.model.ProblemTypes;
import dev.tradeplane.model.ReconciliationReport;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.ReplaceRequest;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The order management system. Every change of an instrument's orders runs in the instrument's lane, one at a time:
 * new orders (single, OCO, bracket), cancels, replaces, fills from the venue, market quotes (which fire the engine's
 * stops and move trailing stops), and expiries. Each lane task collects its changes in a {@link LaneBatch} that
 * {@link OrderStore} commits in one transaction before anything is answered.
 *
 * <p>A new order is committed (with its idempotency key) before it reaches the venue, and the venue's answer is
 * committed (with the stored answer) before the caller hears it. A cancel or replace is committed as pending, sent,
 * and settled in a later lane task, so fills the venue made before it answered are applied first.
 */
@Singleton
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);
    private static final int QUOTE_DIVISION_SCALE = 18;

    private final OrderStore store;
    private final OrderRepository orders;
    private final FillRepository fills;
    private final PositionRepository positions;
    private final BalanceRepository balanceRepository;
    private final Balances balances;
    private final Venues venues;
    private final Valuation valuation;
    private final RiskRails risk;
    private final OrderValidator validator;
    private final TradingMetrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Lanes<InstrumentState> lanes;
    private final Contingencies contingencies;
    private final ExposureLedger ledger;
    private final PositionsView positionsView;
    private final TradingGuard guard;
    private final VenueHealth health;
    private volatile boolean ready;

    /** Client order ids of the engine's own flattening orders start with this. */
    static final String FLATTEN_PREFIX = "flatten-";

    public OrderService(OrderStore store, OrderRepository orders, FillRepository fills, PositionRepository positions,
                        BalanceRepository balanceRepository, Balances balances, Venues venues, Valuation valuation, RiskRails risk,
                        OrderValidator validator, TradingMetrics metrics, Clock clock, ObjectMapper mapper, ExposureLedger ledger,
                        PositionsView positionsView, TradingGuard guard, VenueHealth health) {
        this.store = store;
        this.orders = orders;
        this.fills = fills;
        this.positions = positions;
        this.balanceRepository = balanceRepository;
        this.balances = balances;
        this.venues = venues;
        this.valuation = valuation;
        this.risk = risk;
        this.validator = validator;
        this.metrics = metrics;
        this.clock = clock;
        this.mapper = mapper;
        this.ledger = ledger;
        this.positionsView = positionsView;
        this.guard = guard;
        this.health = health;
        this.lanes = new Lanes<>(key -> {
            InstrumentId id = InstrumentId.parse(key).orElseThrow();
            return new InstrumentState(id, venues.instrument(id).orElseThrow(), venues.venue(id));
        }, lane -> metrics.laneDepth(lane.key(), lane::depth), state -> state.isStale() ? store.resync(state) : null);
        this.contingencies = new Contingencies(new Contingencies.Effects() {
            @Override
            public void followUp(LaneBatch batch, Contingencies.FollowUp followUp) {
                batch.afterCommit(() -> takeFollowUp(batch.state(), followUp));
            }

            @Override
            public void armStop(LaneBatch batch, WorkingOrder order) {
                StopTriggers.arm(order, top(batch.state()).orElse(null), batch.state().rules().tickSize());
            }

            @Override
            public void endedInDoubt(LaneBatch batch, WorkingOrder order, Instant until) {
                batch.afterCommit(() -> cancelInDoubt(batch.state(), order, until));
            }
        });
    }

    public boolean isReady() {
        return ready;
    }

    public Balances balances() {
        return balances;
    }

    private Lane<InstrumentState> lane(InstrumentId id) {
        return lanes.lane(id.toString());
    }

    private void requireReady() {
        if (!ready) {
            throw Problems.unavailable(ProblemTypes.SERVICE_UNAVAILABLE, "Engine starting",
                    "The engine is restoring its state; retry in a moment.", 1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // New orders

    /** Places one order; the answer is the one first given for its idempotency key. */
    public Uni<StoredResponse> submit(String idempotencyKey, OrderRequest request) {
        requireReady();
        ValidOrder valid = validator.validate(request);
        String key = validator.idempotencyKey(idempotencyKey, request.clientOrderId());
        String hash = RequestHash.of(request);
        return lane(valid.instrument()).submit(state -> {
            WorkingOrder order = create(state, valid, null, null, false);
            return place(state, key, hash, List.of(order), List.of(order), group -> answerSingle(group.get(0)));
        });
    }

    /** Places two orders as one-cancels-the-other. */
    public Uni<StoredResponse> submitOco(String idempotencyKey, OcoRequest request) {
        requireReady();
        List<ValidOrder> legs = validator.validate(request);
        String key = validator.idempotencyKey(idempotencyKey, request.legs().get(0).clientOrderId());
        String hash = RequestHash.of(request);
        return lane(legs.get(0).instrument()).submit(state -> {
            WorkingOrder first = create(state, legs.get(0), ContingencyType.OCO, null, false);
            WorkingOrder second = create(state, legs.get(1), ContingencyType.OCO, null, false);
            first.linkOcoPartner(second.id());
            second.linkOcoPartner(first.id());
            List<WorkingOrder> group = List.of(first, second);
            return place(state, key, hash, group, group, g -> answerGroup(ContingencyType.OCO, g));
        });
    }

    /** Places an entry with a stop-loss and a take-profit armed when it fills. */
    public Uni<StoredResponse> submitBracket(String idempotencyKey, BracketRequest request) {
        requireReady();
        InstrumentId id = request == null || request.entry() == null || request.entry().symbol() == null ? null
                : InstrumentId.parse(request.entry().symbol()).orElse(null);
        Optional<BigDecimal> touch = id == null ? Optional.empty() : venues.venue(id.venue()).flatMap(v -> v.topOfBook(id.symbol()))
                .map(t -> request.entry().side() == Side.BUY ? t.ask() : t.bid());
        ValidOrder entry = validator.validate(request, touch);
        String key = validator.idempotencyKey(idempotencyKey, request.entry().clientOrderId());
        String hash = RequestHash.of(request);
        return lane(entry.instrument()).submit(state -> {
            WorkingOrder parent = create(state, entry, ContingencyType.BRACKET, null, false);
            Side exit = entry.side().opposite();
            List<WorkingOrder> children = new ArrayList<>();
            if (request.stopLoss() != null) {
                children.add(create(state, new ValidOrder(entry.clientOrderId() + "-sl", entry.instrument(), entry.rules(), exit,
                        OrderType.STOP_MARKET, TimeInForce.GTC, parent.quantity(), null, null, request.stopLoss(), null, null, null,
                        false, null, entry.model()), ContingencyType.BRACKET, parent.id(), true));
            }
            if (request.takeProfit() != null) {
                children.add(create(state, new ValidOrder(entry.clientOrderId() + "-tp", entry.instrument(), entry.rules(), exit,
                        OrderType.LIMIT, TimeInForce.GTC, parent.quantity(), null, request.takeProfit(), null, null, null, null,
                        false, null, entry.model()), ContingencyType.BRACKET, parent.id(), true));
            }
            if (children.size() == 2) {
                children.get(0).linkOcoPartner(children.get(1).id());
                children.get(1).linkOcoPartner(children.get(0).id());
            }
            children.forEach(child -> parent.addChild(child.id()));
            List<WorkingOrder> group = new ArrayList<>(List.of(parent));
            group.addAll(children);
            return place(state, key, hash, group, List.of(parent), g -> answerGroup(ContingencyType.BRACKET, g));
        });
    }

    /** A new working order from a valid request; a quote amount becomes a quantity at the touch, down to the lot. */
    private WorkingOrder create(InstrumentState state, ValidOrder v, ContingencyType contingency, UUID parent, boolean held) {
        BigDecimal quantity = v.quantity();
        if (quantity == null) {
            BigDecimal price = v.price() != null ? v.price() : touch(state, v.side()).orElse(null);
            quantity = price == null ? BigDecimal.ZERO
                    : Steps.floor(v.quoteQuantity().divide(price, QUOTE_DIVISION_SCALE, RoundingMode.DOWN), v.rules().lotSize());
        }
        OrderSpec spec = new OrderSpec(UUID.randomUUID(), v.clientOrderId(), v.instrument(), v.side(), v.type(), v.timeInForce(),
                v.quoteQuantity(), v.trailingOffset(), v.trailingOffsetBps(), v.limitOffset(), v.postOnly(), v.expireAt(), v.model(),
                contingency, parent, clock.instant());
        return new WorkingOrder(spec, quantity, v.price(), v.stopPrice(), held);
    }

    /**
     * Risk-checks a group, commits it with its key, then activates the orders that start at once. A group refused by
     * the risk rails is committed as rejected, with its answer.
     */
    private Uni<StoredResponse> place(InstrumentState state, String key, String hash, List<WorkingOrder> group,
                                      List<WorkingOrder> activate, Function<List<WorkingOrder>, StoredResponse> answer) {
        Instant now = clock.instant();
        RiskDecision.Rejected refused = null;
        for (WorkingOrder o : group) {
            if (check(state, o, o.quantity(), o.remaining(), 1, internal(o)) instanceof RiskDecision.Rejected r) {
                refused = r;
                break;
            }
            o.setLedger(o.remaining(), true);
        }
        if (refused != null && (refused.reason() == RejectReason.CIRCUIT_BREAKER || refused.reason() == RejectReason.ORDER_RATE)) {
            // Passing conditions: answer "not now" without writing anything, so a retry of the same key can succeed later.
            group.forEach(store::release);
            metrics.rejected(state.id().venue(), group.get(0).model(), refused.reason());
            throw refused.reason() == RejectReason.ORDER_RATE
                    ? new ProblemException(Problem.of(ProblemTypes.RATE_LIMITED, "Too many orders", 429, refused.detail())
                            .withReason(refused.reason(), refused.limit(), refused.value())).withHeader("Retry-After", "1")
                    : new ProblemException(Problem.of(ProblemTypes.SERVICE_UNAVAILABLE, "Circuit breaker open", 503, refused.detail())
                            .withReason(refused.reason(), null, null)).withHeader("Retry-After", "5");
        }
        LaneBatch claim = new LaneBatch(state, now);
        group.forEach(claim::insert);
        claim.claim(key, hash, group.get(0).id());
        StoredResponse refusal = null;
        if (refused != null) {
            for (WorkingOrder o : group) {
                o.reject(refused.reason(), refused.detail(), now);
            }
            refusal = rejection(group.get(0), refused.limit(), refused.value());
            claim.answer(key, refusal);
        }
        StoredResponse refusedAnswer = refusal;
        return store.commit(claim)
                .flatMap(x -> {
                    if (refusedAnswer != null) {
                        return Uni.createFrom().item(refusedAnswer);
                    }
                    LaneBatch settle = new LaneBatch(state, clock.instant());
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (WorkingOrder o : activate) {
                        chain = chain.flatMap(y -> activate(settle, o));
                    }
                    return chain.flatMap(y -> {
                        StoredResponse response = answer.apply(group);
                        settle.answer(key, response);
                        return store.commit(settle).replaceWith(response);
                    });
                })
                .onFailure(OrderStore.KeyTaken.class).recoverWithUni(e -> replayOrRecover(state, key, hash))
                .onFailure(OrderService::isClientOrderIdTaken).transform(e -> new ProblemException(Problem.of(
                        ProblemTypes.IDEMPOTENCY_KEY_REUSED, "client_order_id already used", 409,
                        "a client_order_id of this request belongs to another order")))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> Problems.unavailable(ProblemTypes.SERVICE_UNAVAILABLE,
                        "Order outcome not saved", "The engine could not save the order's state; it is recovered at the next start. "
                                + "Retry with the same key.", 5));
    }

    /** Starts an order: a stop is held by the engine until it triggers; anything else goes to the venue. */
    private Uni<Void> activate(LaneBatch b, WorkingOrder o) {
        if (o.status() != OrderStatus.NEW) {
            return Uni.createFrom().voidItem();
        }
        if (!o.type().isStop()) {
            return sendToVenue(b, o);
        }
        Optional<TopOfBook> top = top(b.state());
        if (top.isEmpty()) {
            o.reject(RejectReason.NO_MARKET_DATA, "no market for " + o.instrument() + " to watch the stop against", b.now());
        } else if (o.triggerPrice() != null && StopTriggers.wouldTrigger(o.side(), o.triggerPrice(), top.get())) {
            o.reject(RejectReason.STOP_WOULD_TRIGGER, "the market is already through the stop price " + o.triggerPrice().toPlainString(),
                    b.now());
        } else {
            o.apply(Trigger.ACCEPT, "held by the engine until it triggers", b.now());
            StopTriggers.arm(o, top.get(), b.state().rules().tickSize());
        }
        b.touch(o);
        if (o.status() == OrderStatus.REJECTED) {
            contingencies.onEnded(b, o);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> sendToVenue(LaneBatch b, WorkingOrder o) {
        b.sentToVenue.add(o);
        String venue = o.instrument().venue();
        long started = System.nanoTime();
        Instant sent = clock.instant();
        return b.state().venue().submit(venueOrder(o))
                .invoke(ack -> venueCall(venue, ack.rejectReason() != RejectReason.VENUE_ERROR, started))
                .invoke(ack -> settleSubmit(b, o, ack))
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    venueCall(venue, false, started);
                    return unknownOutcome(b, o, e, sent);
                });
    }

    /**
     * A submit that failed without an answer (a timeout, a dropped connection, "execution status unknown") may still
     * have reached the venue, so the order is not rejected on a guess: the venue is asked for it by client order id.
     * Known there, the order takes the venue's state. Unknown there, it is not final yet: the request may still be
     * acted on until the venue's {@link dev.tradeplane.engine.venue.Venue#lateActionWindow() late-action window} after
     * it was sent (Binance: {@code recvWindow} and a second), so the order stays NEW and the venue is asked again once
     * that has passed; only then is an order the venue never got rejected. When the venue cannot be asked either, the
     * order stays NEW and is asked about again at the same time (or by reconciliation). Meanwhile reconciliation never
     * sends it again.
     */
    private Uni<Void> unknownOutcome(LaneBatch b, WorkingOrder o, Throwable failure, Instant sent) {
        String venue = o.instrument().venue();
        LOG.warnf("Venue %s did not answer order %s: %s; asking it for the order", venue, o.id(), failure.getMessage());
        b.touch(o);
        Instant until = sent.plus(b.state().venue().lateActionWindow());
        return b.state().venue().query(o.instrument().symbol(), o.clientOrderId())
                .flatMap(found -> {
                    if (found.isPresent()) {
                        List<ReconciliationReport.Mismatch> adopted = new ArrayList<>();
                        o.unsureAtVenueUntil(null);
                        return compare(b, o, found.get(), java.util.Set.of(), adopted)
                                .invoke(() -> publishLate(b, adopted))
                                .invoke(() -> LOG.infof("Order %s was found at venue %s after the failed submit: %s", o.id(), venue, adopted));
                    }
                    if (clock.instant().isBefore(until)) {
                        LOG.warnf("Venue %s does not know order %s yet, but may still act on its submit until %s: it stays NEW and is asked "
                                + "about again then", venue, o.id(), until);
                        unsure(b, o, until);
                        return Uni.createFrom().voidItem();
                    }
                    settleSubmit(b, o, VenueAck.rejected(RejectReason.VENUE_ERROR, "the venue failed: " + failure.getMessage()));
                    return Uni.createFrom().voidItem();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Venue %s could not be asked for order %s (%s); it stays NEW and is asked about again after %s",
                            venue, o.id(), e.getMessage(), until);
                    unsure(b, o, until);
                    return null;
                });
    }

    /** The venue may still act on the order's lost submit until {@code until}: asked about again then. */
    private void unsure(LaneBatch b, WorkingOrder o, Instant until) {
        o.unsureAtVenueUntil(until);
        b.afterCommit(() -> settleLater(o.instrument(), o.id(), Duration.between(clock.instant(), until)));
    }

    /** Feeds the venue's breakers: success and answer time of each call; the answer to a half-open probe. */
    private void venueCall(String venue, boolean ok, long startedNanos) {
        health.record(venue, ok, (System.nanoTime() - startedNanos) / 1_000_000);
        guard.probeDone(venue, ok);
    }

    private void settleSubmit(LaneBatch b, WorkingOrder o, VenueAck ack) {
        b.touch(o);
        o.setVenueOrderId(ack.venueOrderId());
        if (ack.outcome() == VenueAck.Outcome.REJECTED) {
            o.reject(ack.rejectReason(), ack.rejectDetail(), b.now());
            contingencies.onEnded(b, o);
            return;
        }
        for (VenueFill f : ack.fills()) {
            b.fill(o, f);
            contingencies.onFill(b, o, f.quantity());
        }
        if (ack.outcome() == VenueAck.Outcome.RESTING) {
            if (o.status() == OrderStatus.NEW) {
                o.apply(Trigger.ACCEPT, "resting at " + o.instrument().venue(), b.now());
            }
        } else if (o.isWorking()) {
            boolean killed = o.timeInForce() == TimeInForce.FOK && o.filledQuantity().signum() == 0;
            o.apply(killed ? Trigger.EXPIRE : Trigger.CANCEL, killed ? "FOK could not fill completely"
                    : "unfilled rest canceled at once (" + o.venueTimeInForce() + ")", b.now());
            contingencies.onEnded(b, o);
        }
    }

    /**
     * Runs the risk rails for an order: {@code quantity} is the order's total, {@code openDelta} what it adds to its
     * side, {@code newOrders} 1 for a new order and 0 for a replace. A passing check reserves {@code openDelta} in the
     * exposure ledger.
     */
    private RiskDecision check(InstrumentState state, WorkingOrder o, BigDecimal quantity, BigDecimal openDelta, int newOrders,
                               boolean internal) {
        Optional<TopOfBook> top = top(state);
        BigDecimal price = switch (o.type()) {
            case LIMIT, STOP_LIMIT -> o.price();
            case STOP_MARKET -> o.stopPrice();
            case MARKET, TRAILING_STOP -> top.map(t -> o.side() == Side.BUY ? t.ask() : t.bid()).orElse(null);
        };
        if (price == null) {
            return new RiskDecision.Rejected(RejectReason.NO_MARKET_DATA, "no market for " + o.instrument() + " to price the order", null, null);
        }
        if (o.type() == OrderType.STOP_LIMIT && !Steps.isMultiple(o.stopPrice(), state.rules().tickSize())) {
            return new RiskDecision.Rejected(RejectReason.TICK_SIZE, "stop price must be a multiple of the tick size "
                    + state.rules().tickSize().toPlainString(), state.rules().tickSize(), o.stopPrice());
        }
        BigDecimal limitPrice = o.type() == OrderType.LIMIT || o.type() == OrderType.STOP_LIMIT ? o.price() : null;
        return risk.check(new RiskRequest(o.instrument(), state.rules(), o.model(), o.side(), o.type(), quantity, price, limitPrice,
                top.map(TopOfBook::mid).orElse(null), state.exposure(o.id()), openDelta, openDelta, newOrders, reduces(state, o, quantity),
                internal));
    }

    /** True when the order only takes the model's position in the instrument towards zero. */
    private static boolean reduces(InstrumentState state, WorkingOrder o, BigDecimal quantity) {
        BigDecimal position = state.position(o.model()).quantity();
        boolean opposite = o.side() == Side.BUY ? position.signum() < 0 : position.signum() > 0;
        return opposite && quantity.compareTo(position.abs()) <= 0;
    }

    /** Orders the engine makes itself (flattening after a kill switch) skip the rate limits. */
    private static boolean internal(WorkingOrder o) {
        return o.clientOrderId().startsWith(FLATTEN_PREFIX);
    }

    private Optional<TopOfBook> top(InstrumentState state) {
        return state.venue().topOfBook(state.id().symbol());
    }

    private Optional<BigDecimal> touch(InstrumentState state, Side side) {
        return top(state).map(t -> side == Side.BUY ? t.ask() : t.bid());
    }

    private static VenueOrder venueOrder(WorkingOrder o) {
        OrderType type = o.venueType();
        return new VenueOrder(o.clientOrderId(), o.instrument().symbol(), o.side(), type, o.venueTimeInForce(), o.remaining(),
                type == OrderType.LIMIT ? o.price() : null, o.spec().postOnly());
    }

    /**
     * Answers a repeat of a key. When its first request was cut off (its order committed, its outcome not: the
     * database failed after the venue acted) and no lane holds the order any more, the order is reconciled with the
     * venue first, so the repeat gets the real outcome instead of waiting for the periodic reconciliation.
     */
    private Uni<StoredResponse> replayOrRecover(InstrumentState state, String key, String hash) {
        return orders.findKey(key).flatMap(found -> {
            if (found.isEmpty() || found.get().responseStatus() != null || !found.get().requestHash().equals(hash)
                    || state.working(found.get().orderId()).isPresent()) {
                return replay(key, hash);
            }
            UUID orderId = found.get().orderId();
            return orders.findWorking(orderId).flatMap(saved -> {
                if (saved.isEmpty()) {
                    return replay(key, hash);
                }
                WorkingOrder o = WorkingOrder.restore(saved.get().spec(), saved.get().saved());
                takeBack(state, o);
                LaneBatch b = new LaneBatch(state, clock.instant());
                List<ReconciliationReport.Mismatch> mismatches = new ArrayList<>();
                return state.venue().query(o.instrument().symbol(), o.clientOrderId())
                        .flatMap(venueView -> venueView.isPresent()
                                ? fills.tradeIds(o.id()).flatMap(recorded -> compare(b, o, venueView.get(), recorded, mismatches))
                                : missing(b, o, mismatches))
                        .invoke(() -> publishLate(b, mismatches))
                        .flatMap(x -> store.commit(b))
                        .invoke(() -> LOG.warnf("Order %s was cut off; reconciled on a repeat of its key: %s", orderId, mismatches))
                        .flatMap(x -> replay(key, hash));
            });
        });
    }

    private Uni<StoredResponse> replay(String key, String hash) {
        return orders.findKey(key).map(found -> {
            OrderRepository.StoredKey stored = found.orElseThrow(() -> new IllegalStateException("idempotency key " + key + " vanished"));
            if (!stored.requestHash().equals(hash)) {
                throw Problems.keyReused("Idempotency key " + key + " was first used for a different order request.");
            }
            if (stored.responseStatus() == null) {
                throw Problems.inFlight("The order for idempotency key " + key + " is still being processed.");
            }
            return new StoredResponse(stored.responseStatus(), stored.response(), true, stored.orderId().toString());
        });
    }

    private static boolean isClientOrderIdTaken(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState())
                && pg.getConstraint() != null && pg.getConstraint().contains("client_order_id");
    }

    private StoredResponse answerSingle(WorkingOrder o) {
        return o.status() == OrderStatus.REJECTED ? rejection(o, null, null) : json(201, o.toWire(), o);
    }

    private StoredResponse answerGroup(ContingencyType type, List<WorkingOrder> group) {
        for (WorkingOrder o : group) {
            if (o.status() == OrderStatus.REJECTED && o.rejectReason() != null) {
                return rejection(o, null, null);
            }
        }
        return json(201, new ContingentOrders(type, group.stream().map(WorkingOrder::toWire).toList()), group.get(0));
    }

    private StoredResponse rejection(WorkingOrder order, BigDecimal limit, BigDecimal value) {
        Problem problem = Problem.of(ProblemTypes.ORDER_REJECTED, "Order rejected", 422, order.rejectDetail())
                .withReason(order.rejectReason(), limit, value)
                .withOrder(order.id().toString());
        return json(422, problem, order);
    }

    private StoredResponse json(int status, Object body, WorkingOrder order) {
        try {
            return new StoredResponse(status, mapper.writeValueAsString(body), false, order.id().toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the answer", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cancel and replace

    /** What the first half of a cancel or replace did: finished it (engine-held orders), or sent it to the venue. */
    private sealed interface Step {
    }

    private record Done(Order order) implements Step {}

    /**
     * The venue answered: the answer's settlement is queued in the order's lane (behind the fills the venue reported
     * meanwhile) as soon as it arrives, so it is settled whether or not the caller still waits for it.
     */
    private record Settling(Uni<Order> settled) implements Step {}

    private record SentReplace(ReplaceAck ack, BigDecimal quantity, BigDecimal price) {}

    /** Cancels a working order; 409 with the order's actual state when it is no longer working. */
    public Uni<Order> cancel(UUID orderId) {
        requireReady();
        return instrumentOf(orderId).flatMap(id -> cancel(id, orderId));
    }

    /** Cancels every working order of an instrument (or all), of a model (or all); answers what became of them. */
    public Uni<List<Order>> cancelAll(InstrumentId instrument, String model) {
        requireReady();
        List<InstrumentId> targets = instrument != null ? List.of(instrument) : venues.instrumentIds();
        List<Uni<List<Order>>> perInstrument = new ArrayList<>();
        for (InstrumentId id : targets) {
            if (venues.instrument(id).isEmpty()) {
                throw Problems.invalid("symbol", "unknown symbol " + id + "; see GET /instruments");
            }
            perInstrument.add(lane(id).submit(state -> Uni.createFrom().item(state.workingOrders().stream()
                            .filter(o -> model == null || model.equals(o.model()))
                            .map(WorkingOrder::id).toList()))
                    .flatMap(ids -> {
                        Uni<List<Order>> chain = Uni.createFrom().item(new ArrayList<>());
                        for (UUID orderId : ids) {
                            chain = chain.flatMap(done -> cancel(id, orderId, Trigger.CANCEL, "canceled with all orders of "
                                            + (model == null ? "" : "model " + model + " in ") + id)
                                    .onFailure(ProblemException.class).recoverWithUni(e -> orders.find(orderId).map(Optional::orElseThrow))
                                    .map(order -> {
                                        done.add(order);
                                        return done;
                                    }));
                        }
                        return chain;
                    }));
        }
        return Uni.join().all(perInstrument).andFailFast().map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private Uni<Order> cancel(InstrumentId id, UUID orderId, Trigger end, String cause) {
        return lane(id).submit(state -> requestCancel(state, orderId, end, cause))
                .flatMap(step -> step instanceof Settling s ? s.settled() : Uni.createFrom().item(((Done) step).order()));
    }

    private Uni<Step> requestCancel(InstrumentState state, UUID orderId, Trigger end, String cause) {
        Optional<WorkingOrder> working = state.working(orderId);
        if (working.isEmpty()) {
            return notWorking(orderId, "cancel");
        }
        WorkingOrder o = working.get();
        if (o.status() == OrderStatus.PENDING_REPLACE) {
            if (!o.requestUnanswered() || state.replacing(orderId)) {
                throw notWorkingProblem(o.toWire(), "a replace of this order is in progress; retry the cancel when it is done");
            }
            return cancelUnansweredReplace(state, o, cause);
        }
        LaneBatch b = new LaneBatch(state, clock.instant());
        b.cancelRequested(o);
        if (Contingencies.notAtVenue(o)) {
            contingencies.endInEngine(b, o, end, cause);
            contingencies.onEnded(b, o);
            return store.commit(b).replaceWith(new Done(o.toWire()));
        }
        boolean resent = o.status() == OrderStatus.PENDING_CANCEL;
        if (!resent) {
            o.apply(Trigger.CANCEL_REQUEST, cause, b.now());
            b.touch(o);
        }
        // Sent again: a report that the venue canceled it now waits for this cancel's answer (see onVenueEnded).
        o.requestUnanswered(false);
        return store.commit(b)
                .flatMap(x -> timed(o.instrument().venue(), state.venue().cancel(o.instrument().symbol(), o.clientOrderId()))
                        .map(ack -> (Step) new Settling(lane(state.id()).submit(s -> settleCancel(s, orderId, ack, end, cause))))
                        .onFailure().recoverWithUni(e -> venueFailed(state, o, "cancel", resent, e, null)));
    }

    /**
     * An order whose submit went unanswered is ended in the engine at once (canceled, expired, or by its contingency;
     * see {@link Contingencies#endInEngine}), but the venue may still take the submit up until {@code until}: a cancel
     * is sent now and again once that has passed, so an order the venue placed late does not work there on its own
     * until the next reconciliation finds it (which would cancel it too). A trade it made meanwhile comes as a late
     * fill of the ended order.
     */
    private void cancelInDoubt(InstrumentState state, WorkingOrder o, Instant until) {
        Duration wait = Duration.between(clock.instant(), until).plusMillis(100);
        Uni<Void> twice = sendCancel(state, o).onItem().delayIt().by(wait.isNegative() ? Duration.ZERO : wait)
                .flatMap(x -> sendCancel(state, o));
        twice.subscribe().with(ok -> { }, e -> LOG.warnf("Cancel of in-doubt order %s at %s: %s", o.id(), o.instrument().venue(), e.getMessage()));
    }

    private Uni<Void> sendCancel(InstrumentState state, WorkingOrder o) {
        return state.venue().cancel(o.instrument().symbol(), o.clientOrderId())
                .invoke(ack -> LOG.infof("Order %s, ended while its submit was in doubt, canceled at %s too: %s", o.id(),
                        o.instrument().venue(), ack))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.debugf("Cancel of in-doubt order %s at %s: %s", o.id(), o.instrument().venue(), e.getMessage());
                    return null;
                });
    }

    /**
     * A cancel or replace the venue failed. Refused for certain (the venue did nothing: the adapter held it back, or
     * the venue said no), the order is as it was before the request, and the caller is told to retry. With the outcome
     * unknown, the order stays pending: reconciliation settles it with the venue (sending a cancel again), and a retry
     * of the cancel sends it again now. A replace ({@code replaceSent} is when it left; null for a cancel) is not
     * settled while the venue may still act on it, unless the venue's view is conclusive (see {@link #compare}).
     * Either way the answer is a 503, never a guess.
     */
    private Uni<Step> venueFailed(InstrumentState state, WorkingOrder o, String what, boolean wasPending, Throwable failure,
                                  Instant replaceSent) {
        String venue = o.instrument().venue();
        if (failure instanceof ProblemException) {
            return Uni.createFrom().failure(failure);
        }
        int retryAfter = VenueFailure.retryAfterSeconds(failure, 1);
        if (!VenueFailure.isDefinite(failure)) {
            o.requestUnanswered(true);
            String next;
            if (o.status() == OrderStatus.PENDING_REPLACE) {
                // Asked about as soon as the venue can no longer act on the replace, not at the next reconciliation
                // (which, before then, settles it only on a conclusive view: the order ended, or replaced).
                Duration window = state.venue().lateActionWindow();
                if (replaceSent != null) {
                    o.replaceUnsureUntil(replaceSent.plus(window));
                }
                settleLater(o.instrument(), o.id(), window);
                next = " It is settled with the venue within " + Math.max(1, (window.toMillis() + 999) / 1000) + " s, once the venue "
                        + "can no longer act on it; a cancel meanwhile cancels whichever order works at the venue.";
            } else {
                next = " It is settled with the venue by the next reconciliation, or when the venue reports the cancel; retry the "
                        + "cancel to send it again.";
            }
            LOG.warnf("Venue %s did not answer the %s of order %s (%s); it stays %s.%s", venue, what, o.id(), failure.getMessage(), o.status(),
                    next);
            return Uni.createFrom().failure(Problems.unavailable(ProblemTypes.SERVICE_UNAVAILABLE, "Venue did not answer",
                    venue + " did not confirm the " + what + " (" + failure.getMessage() + "); the order stays " + o.status() + "." + next,
                    retryAfter));
        }
        LOG.infof("Venue %s refused the %s of order %s: %s", venue, what, o.id(), failure.getMessage());
        Uni<Void> restored = Uni.createFrom().voidItem();
        if (!wasPending && state.working(o.id()).isPresent()
                && (o.status() == OrderStatus.PENDING_CANCEL || o.status() == OrderStatus.PENDING_REPLACE)) {
            LaneBatch b = new LaneBatch(state, clock.instant());
            o.restore(venue + " refused the " + what + ": " + failure.getMessage(), b.now());
            b.touch(o);
            b.afterCommit(() -> workFollowUps(state.id(), o.id()));
            restored = store.commit(b);
        }
        return restored.flatMap(x -> Uni.createFrom().failure(Problems.unavailable(ProblemTypes.SERVICE_UNAVAILABLE, "Venue refused the " + what,
                venue + " did not take the " + what + " (" + failure.getMessage() + "); the order is working as it was. Retry after "
                        + retryAfter + " s.", retryAfter)));
    }

    /**
     * Cancels an order whose replace the venue did not answer: whichever of the old order and its replacement works at
     * the venue now is canceled (by client order id, which both share), and the order is then settled as the venue has
     * it (its trades, the replacement's beyond the old quantity included), instead of being answered 409 until the
     * replace is settled. The kill switch's cancels reach it so. The order ends from PENDING_REPLACE, as a re-price
     * the venue dropped would: the cancel asked for is saved first, so that end is known as asked for.
     */
    private Uni<Step> cancelUnansweredReplace(InstrumentState state, WorkingOrder o, String cause) {
        LaneBatch b = new LaneBatch(state, clock.instant());
        b.cancelRequested(o);
        o.requestUnanswered(false);
        UUID orderId = o.id();
        return store.commit(b)
                .flatMap(x -> timed(o.instrument().venue(), state.venue().cancel(o.instrument().symbol(), o.clientOrderId()))
                        .map(ack -> (Step) new Settling(lane(state.id()).submit(s -> settleOne(s, orderId, cause))
                                .map(found -> found.orElseThrow(() -> Problems.notFound("No order " + orderId)))))
                        .onFailure().invoke(e -> o.requestUnanswered(true))
                        .onFailure().recoverWithUni(e -> venueFailed(state, o, "cancel", true, e, null)));
    }

    private Uni<Order> settleCancel(InstrumentState state, UUID orderId, CancelAck ack, Trigger end, String cause) {
        Optional<WorkingOrder> working = state.working(orderId);
        if (working.isEmpty()) {
            // It filled (or ended) while the cancel was on its way: the fills were applied before this task.
            return notWorking(orderId, "cancel").map(step -> ((Done) step).order());
        }
        WorkingOrder o = working.get();
        LaneBatch b = new LaneBatch(state, clock.instant());
        o.apply(end, ack.outcome() == CancelAck.Outcome.CANCELED ? cause : cause + "; the venue no longer had it", b.now());
        b.touch(o);
        contingencies.onEnded(b, o);
        return store.commit(b).map(x -> o.toWire());
    }

    /** Changes a working order's quantity and/or price (and a stop's stop price). */
    public Uni<Order> replace(UUID orderId, ReplaceRequest request) {
        requireReady();
        validator.validate(request);
        return instrumentOf(orderId).flatMap(id -> replace(id, orderId, request.quantity(), request.price(), request.stopPrice()));
    }

    /**
     * The same, for a caller that knows the order's instrument (an execution algorithm): no lookup before the order's
     * lane, so a re-price reaches the venue a database round trip sooner. An order not in that instrument's lane is
     * answered as not working.
     */
    public Uni<Order> replace(InstrumentId instrument, UUID orderId, ReplaceRequest request) {
        requireReady();
        validator.validate(request);
        return replace(instrument, orderId, request.quantity(), request.price(), request.stopPrice());
    }

    /** Cancels a working order of a known instrument (see {@link #replace(InstrumentId, UUID, ReplaceRequest)}). */
    public Uni<Order> cancel(InstrumentId instrument, UUID orderId) {
        requireReady();
        return cancel(instrument, orderId, Trigger.CANCEL, "canceled on request");
    }

    private Uni<Order> replace(InstrumentId id, UUID orderId, BigDecimal quantity, BigDecimal price, BigDecimal stopPrice) {
        return lane(id).submit(state -> requestReplace(state, orderId, quantity, price, stopPrice))
                .flatMap(step -> step instanceof Settling s ? s.settled() : Uni.createFrom().item(((Done) step).order()));
    }

    /**
     * Resizes a contingent order for its contingency (a follow-up): the engine's own replace, checked against the
     * venue's rules only ({@link RiskRails#checkEngineResize}), never refused by limits meant for requests.
     */
    private Uni<Order> resizeForContingency(InstrumentId id, UUID orderId, BigDecimal quantity) {
        return lane(id).submit(state -> requestReplace(state, orderId, quantity, null, null, true))
                .flatMap(step -> step instanceof Settling s ? s.settled() : Uni.createFrom().item(((Done) step).order()));
    }

    private Uni<Step> requestReplace(InstrumentState state, UUID orderId, BigDecimal quantity, BigDecimal price, BigDecimal stopPrice) {
        return requestReplace(state, orderId, quantity, price, stopPrice, false);
    }

    /** {@code forContingency}: the engine's own resize of a contingent order, see {@link #resizeForContingency}. */
    private Uni<Step> requestReplace(InstrumentState state, UUID orderId, BigDecimal quantity, BigDecimal price, BigDecimal stopPrice,
                                     boolean forContingency) {
        Optional<WorkingOrder> working = state.working(orderId);
        if (working.isEmpty()) {
            return notWorking(orderId, "replace");
        }
        WorkingOrder o = working.get();
        if (o.status() == OrderStatus.PENDING_CANCEL || o.status() == OrderStatus.PENDING_REPLACE) {
            throw notWorkingProblem(o.toWire(), "a " + (o.status() == OrderStatus.PENDING_CANCEL ? "cancel" : "replace")
                    + " of this order is in progress");
        }
        boolean takesPrice = o.type() == OrderType.LIMIT || o.type() == OrderType.STOP_LIMIT;
        boolean takesStop = o.type() == OrderType.STOP_MARKET || o.type() == OrderType.STOP_LIMIT;
        if (price != null && !takesPrice) {
            throw Problems.invalid("price", "a " + o.type() + " order has no limit price to change");
        }
        if (stopPrice != null && (!takesStop || o.triggeredAt() != null)) {
            throw Problems.invalid("stop_price", takesStop ? "the stop has triggered already" : "a " + o.type() + " order has no stop price");
        }
        BigDecimal newQuantity = quantity != null ? quantity : o.quantity();
        BigDecimal newPrice = price != null ? price : o.price();
        if (newQuantity.compareTo(o.filledQuantity()) <= 0) {
            throw Problems.invalid("quantity", "must be above the filled quantity " + o.filledQuantity().toPlainString());
        }
        if (stopPrice != null && !Steps.isMultiple(stopPrice, state.rules().tickSize())) {
            throw Problems.invalid("stop_price", "must be a multiple of the tick size " + state.rules().tickSize().toPlainString());
        }
        BigDecimal checkPrice = takesPrice ? newPrice : stopPrice != null ? stopPrice : o.stopPrice() != null ? o.stopPrice()
                : touch(state, o.side()).orElse(null);
        BigDecimal growth = newQuantity.subtract(o.quantity()).max(BigDecimal.ZERO);
        Optional<TopOfBook> top = top(state);
        RiskRequest request = checkPrice == null ? null : new RiskRequest(o.instrument(), state.rules(), o.model(), o.side(), o.type(),
                newQuantity, checkPrice, takesPrice ? newPrice : null, top.map(TopOfBook::mid).orElse(null), state.exposure(o.id()),
                newQuantity.subtract(o.filledQuantity()), growth, 0, reduces(state, o, newQuantity.subtract(o.filledQuantity())), false);
        RiskDecision decision = request == null
                ? new RiskDecision.Rejected(RejectReason.NO_MARKET_DATA, "no market to price the replace", null, null)
                : forContingency ? risk.checkEngineResize(request) : risk.check(request);
        if (decision instanceof RiskDecision.Accepted) {
            o.setLedger(o.ledgerOpen().add(growth), o.ledgerCounted());
        }
        if (decision instanceof RiskDecision.Rejected r) {
            metrics.rejected(o.instrument().venue(), o.model(), r.reason());
            throw Problems.rejected(ProblemTypes.ORDER_REJECTED, "Replace rejected", r.reason(), r.detail(), r.limit(), r.value());
        }
        LaneBatch b = new LaneBatch(state, clock.instant());
        if (Contingencies.notAtVenue(o)) {
            if (stopPrice != null && top(state).map(t -> StopTriggers.wouldTrigger(o.side(), stopPrice, t)).orElse(false)) {
                throw Problems.rejected(ProblemTypes.ORDER_REJECTED, "Replace rejected", RejectReason.STOP_WOULD_TRIGGER,
                        "the market is already through the stop price " + stopPrice.toPlainString(), null, stopPrice);
            }
            o.resize(newQuantity);
            o.reprice(price, stopPrice);
            o.apply(Trigger.REPLACE_REQUEST, "replace requested", b.now());
            o.restore("replaced by the engine", b.now());
            b.touch(o);
            return store.commit(b).replaceWith(new Done(o.toWire()));
        }
        BigDecimal quantityBefore = o.quantity();
        o.apply(Trigger.REPLACE_REQUEST, "replace: quantity " + newQuantity.toPlainString()
                + (newPrice == null ? "" : ", price " + newPrice.toPlainString()), b.now());
        b.touch(o);
        return store.commit(b).flatMap(x -> {
            Instant sentAt = clock.instant();
            return timed(o.instrument().venue(), state.venue().replace(o.instrument().symbol(), o.clientOrderId(), newQuantity, newPrice,
                            quantityBefore, o.filledQuantity()))
                    .map(ack -> {
                        // Fills reported from now until the settlement are held for it (see onVenueFill).
                        InstrumentState.Settlement settlement = state.replaceAnswered(o.id());
                        SentReplace sent = new SentReplace(ack, newQuantity, newPrice);
                        Uni<Order> settled = lane(state.id()).submit(s -> settleReplace(s, orderId, sent));
                        settled.subscribe().with(done -> settlement.ended(), failed -> settlement.ended());
                        return (Step) new Settling(settled);
                    })
                    .onFailure().recoverWithUni(e -> venueFailed(state, o, "replace", false, e, sentAt));
        });
    }

    /**
     * Settles a replace the venue answered. The fills the venue reported while it was out (held since the answer) and
     * those of the answer are applied once each, by trade id, against the quantity the answer leaves: after a
     * REPLACED, the new one (a replacement's fills may not fit the old); after UNKNOWN, whatever the venue did fill is
     * booked before the order is closed.
     */
    private Uni<Order> settleReplace(InstrumentState state, UUID orderId, SentReplace sent) {
        List<VenueFill> held = state.replaceSettled(orderId);
        Optional<WorkingOrder> working = state.working(orderId);
        if (working.isEmpty()) {
            // It ended while the answer waited: the fills reported meanwhile are booked to it late, or fail closed.
            Uni<Void> late = held.isEmpty() ? Uni.createFrom().voidItem()
                    : orders.findSaved(orderId).flatMap(saved -> lateFills(state, saved, held, orderId.toString()));
            return late.flatMap(x -> notWorking(orderId, "replace")).map(step -> ((Done) step).order());
        }
        WorkingOrder o = working.get();
        ReplaceAck ack = sent.ack();
        List<VenueFill> arrived = new ArrayList<>(held);
        arrived.addAll(ack.fills());
        return fills.tradeIds(o.id()).flatMap(recorded -> {
            LaneBatch b = new LaneBatch(state, clock.instant());
            b.touch(o);
            b.afterCommit(() -> workFollowUps(state.id(), orderId)); // what waited for this replace runs now
            java.util.Set<String> applied = new java.util.HashSet<>(recorded);
            switch (ack.outcome()) {
                case REPLACED -> {
                    o.resize(sent.quantity().max(o.filledQuantity()));
                    o.reprice(sent.price(), null);
                    applyOnce(b, o, arrived, applied);
                    if (o.status() == OrderStatus.PENDING_REPLACE) {
                        o.restore("replaced at " + o.instrument().venue(), b.now());
                    }
                    if (o.isWorking() && !ack.resting()) {
                        // The venue ended the replacement as it placed it (self-trade prevention, an IOC rest).
                        o.apply(Trigger.EXPIRE, "the replacement ended at " + o.instrument().venue() + " as soon as it was placed", b.now());
                        contingencies.onEnded(b, o);
                    }
                }
                case REJECTED -> {
                    o.restore("replace refused by the venue: " + ack.rejectDetail(), b.now());
                    applyOnce(b, o, arrived, applied);
                    return store.commit(b).map(x -> {
                        throw Problems.rejected(ProblemTypes.ORDER_REJECTED, "Replace rejected", ack.rejectReason(), ack.rejectDetail(), null, null);
                    });
                }
                case UNKNOWN -> {
                    applyOnce(b, o, arrived, applied);
                    if (o.isWorking()) {
                        o.apply(Trigger.CANCEL, "the venue no longer had it when it was replaced", b.now());
                        contingencies.onEnded(b, o);
                    }
                    return store.commit(b).map(x -> {
                        throw notWorkingProblem(o.toWire(), "the venue no longer had the order");
                    });
                }
            }
            return store.commit(b).map(x -> o.toWire());
        });
    }

    /**
     * Applies the venue's trades the order has not booked (each trade id once). A trade the venue made beyond the
     * order's quantity is booked all the same, the order grown to what filled: the position is the venue's, and
     * refusing the trade would only hide it.
     */
    private void applyOnce(LaneBatch b, WorkingOrder o, List<VenueFill> trades, java.util.Set<String> booked) {
        for (VenueFill f : trades) {
            if (!booked.add(f.tradeId())) {
                continue;
            }
            if (!o.isWorking()) {
                // It filled in this loop (it was working when the settlement began): that takes no late trade.
                b.mismatch(bookLate(b, o, f, Map.of()));
                continue;
            }
            growToFit(o, f);
            b.fill(o, f);
            contingencies.onFill(b, o, f.quantity());
        }
    }

    /** True when the order had to grow to take the trade (the venue filled more than the engine asked for). */
    private static boolean growToFit(WorkingOrder o, VenueFill f) {
        if (f.quantity().compareTo(o.remaining()) <= 0) {
            return false;
        }
        LOG.errorf("Venue %s filled %s of order %s beyond its quantity %s (trade %s): booked, the order grown to what filled",
                o.instrument().venue(), f.quantity().toPlainString(), o.id(), o.quantity().toPlainString(), f.tradeId());
        o.resize(o.filledQuantity().add(f.quantity()));
        return true;
    }

    private <T> Uni<T> timed(String venue, Uni<T> call) {
        long started = System.nanoTime();
        return call.invoke(x -> health.record(venue, true, (System.nanoTime() - started) / 1_000_000))
                .onFailure().invoke(e -> health.record(venue, false, (System.nanoTime() - started) / 1_000_000));
    }

    private Uni<Step> notWorking(UUID orderId, String what) {
        return orders.find(orderId).map(found -> {
            Order order = found.orElseThrow(() -> Problems.notFound("No order " + orderId));
            throw notWorkingProblem(order, "the order is " + order.status() + "; there is nothing to " + what);
        });
    }

    private static ProblemException notWorkingProblem(Order order, String detail) {
        return new ProblemException(Problem.of(ProblemTypes.ORDER_NOT_WORKING, "Order not working", 409, detail).withOrderState(order));
    }

    private Uni<InstrumentId> instrumentOf(UUID orderId) {
        return orders.find(orderId).map(found -> {
            Order order = found.orElseThrow(() -> Problems.notFound("No order " + orderId));
            return InstrumentId.parse(order.symbol()).orElseThrow();
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What the venue and the clock do

    /**
     * The working order a venue's report names: by our client order id, or by the id the venue has it under (Binance
     * gets a digest of an id too long for it; an adapter that forgot the digest reports under it).
     */
    private static Optional<WorkingOrder> workingFor(InstrumentState state, String clientOrderId) {
        Optional<WorkingOrder> found = state.workingByClientId(clientOrderId);
        if (found.isPresent()) {
            return found;
        }
        return state.workingOrders().stream().filter(o -> clientOrderId.equals(state.venue().venueClientId(o.clientOrderId()))).findFirst();
    }

    /** A fill the venue made later, on a resting order. */
    void onVenueFill(String venue, String symbol, String clientOrderId, VenueFill fill, boolean done) {
        lane(new InstrumentId(symbol, venue)).submit(state -> {
            Optional<WorkingOrder> working = workingFor(state, clientOrderId);
            if (working.isEmpty()) {
                return lateFill(state, clientOrderId, fill);
            }
            WorkingOrder o = working.get();
            // A trade may reach the engine twice (an exchange's push and the answer to a query after a lost answer):
            // it is booked once, by trade id.
            return fills.tradeIds(o.id()).flatMap(recorded -> {
                if (recorded.contains(fill.tradeId())) {
                    LOG.debugf("Fill %s at %s for %s is already booked", fill.tradeId(), venue, clientOrderId);
                    return Uni.createFrom().voidItem();
                }
                if (state.holdForReplace(o.id(), fill)) {
                    // The order's replace is answered and its settlement queued: the fill is applied by it, against
                    // the quantity the venue has now (a replacement's fill may not fit the old quantity).
                    return Uni.createFrom().voidItem();
                }
                if (o.status() == OrderStatus.PENDING_REPLACE && fill.quantity().compareTo(o.remaining()) >= 0) {
                    // The replace's answer was lost: the venue may have the larger replacement, which this fill would
                    // not end. The order is settled with the venue instead, which books the fill with its quantity.
                    LOG.infof("Fill %s of %s for %s, whose replace was not answered, reaches its old quantity: settled with %s now",
                            fill.tradeId(), fill.quantity().toPlainString(), o.id(), venue);
                    reconcile(state.id(), List.of()).subscribe().with(
                            r -> r.mismatches().forEach(m -> LOG.infof("Settled with %s: %s %s: %s", venue, m.kind(), m.clientOrderId(), m.detail())),
                            e -> LOG.warnf("Settling %s with %s failed (%s); the next reconciliation does it", o.id(), venue, e.getMessage()));
                    return Uni.createFrom().voidItem();
                }
                LaneBatch b = new LaneBatch(state, clock.instant());
                growToFit(o, fill);
                b.fill(o, fill);
                contingencies.onFill(b, o, fill.quantity());
                return store.commit(b);
            });
        }).subscribe().with(ok -> { }, e -> LOG.errorf(e, "Fill %s of %s could not be recorded", fill.tradeId(), clientOrderId));
    }

    /**
     * A working order the venue ended by itself (canceled outside the engine, expired there). An order with a cancel or
     * replace of ours under way is left to that request's answer, which settles it; but a cancel whose answer was lost
     * has no answer coming, so the venue's report of the cancel ends the order. (A replace's does not: the venue may have
     * placed the replacement; the order is settled with the venue instead.)
     */
    void onVenueEnded(String venue, String symbol, String clientOrderId, boolean expired, String why) {
        lane(new InstrumentId(symbol, venue)).submit(state -> {
            Optional<WorkingOrder> working = workingFor(state, clientOrderId);
            boolean cancelUnanswered = working.isPresent() && working.get().status() == OrderStatus.PENDING_CANCEL
                    && working.get().requestUnanswered();
            if (working.isEmpty() || working.get().status() == OrderStatus.PENDING_CANCEL && !cancelUnanswered
                    || working.get().status() == OrderStatus.PENDING_REPLACE || Contingencies.notAtVenue(working.get())) {
                return Uni.createFrom().voidItem();
            }
            WorkingOrder o = working.get();
            LaneBatch b = new LaneBatch(state, clock.instant());
            o.apply(expired ? Trigger.EXPIRE : Trigger.CANCEL, (expired ? "expired at " : "canceled at ") + venue + ": " + why, b.now());
            b.touch(o);
            contingencies.onEnded(b, o);
            LOG.infof("Order %s was %s at %s: %s", o.id(), expired ? "expired" : "canceled", venue, why);
            return store.commit(b);
        }).subscribe().with(ok -> { }, e -> LOG.errorf(e, "End of %s at %s could not be recorded", clientOrderId, venue));
    }

    /** Someone who wants every new touch too (the execution algorithms). */
    @FunctionalInterface
    public interface TouchListener {
        void onTouch(String venue, String symbol, TopOfBook top);
    }

    private final List<TouchListener> touchListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onTouch(TouchListener listener) {
        touchListeners.add(listener);
    }

    /** A new best bid or ask: tells the touch listeners, moves trailing stops and fires the stops it reaches. */
    void onQuote(String venue, String symbol, TopOfBook top) {
        for (TouchListener l : touchListeners) {
            try {
                l.onTouch(venue, symbol, top);
            } catch (RuntimeException e) {
                LOG.warnf("A touch listener failed on %s.%s: %s", symbol, venue, e.getMessage());
            }
        }
        lane(new InstrumentId(symbol, venue)).submit(state -> {
            if (!state.hasEngineStops()) {
                return Uni.createFrom().voidItem();
            }
            LaneBatch b = new LaneBatch(state, clock.instant());
            List<WorkingOrder> fired = new ArrayList<>();
            for (WorkingOrder o : state.workingOrders()) {
                if (o.status() != OrderStatus.OPEN || !o.heldByEngine() || !o.type().isStop()) {
                    continue;
                }
                StopTriggers.Outcome outcome = StopTriggers.onQuote(o, top, state.rules().tickSize());
                if (outcome == StopTriggers.Outcome.MOVED) {
                    b.touch(o);
                } else if (outcome == StopTriggers.Outcome.TRIGGERED) {
                    o.triggered(b.now());
                    b.touch(o);
                    contingencies.onTriggered(b, o);
                    fired.add(o);
                }
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (WorkingOrder o : fired) {
                chain = chain.flatMap(x -> o.isWorking() ? sendToVenue(b, o) : Uni.createFrom().voidItem());
            }
            return chain.flatMap(x -> store.commit(b));
        }).subscribe().with(ok -> { }, e -> LOG.errorf(e, "Quote of %s.%s could not be processed", symbol, venue));
    }

    /** Expires GTD orders whose time has come (checked every second). */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireDue() {
        if (!ready) {
            return;
        }
        Instant now = clock.instant();
        for (Lane<InstrumentState> lane : lanes.all().values()) {
            lane.submit(state -> {
                LaneBatch b = new LaneBatch(state, clock.instant());
                for (WorkingOrder o : state.workingOrders()) {
                    if (o.spec().expireAt() == null || o.spec().expireAt().isAfter(now) || !o.isWorking()) {
                        continue;
                    }
                    if (Contingencies.notAtVenue(o)) {
                        contingencies.endInEngine(b, o, Trigger.EXPIRE, "expire_at " + o.spec().expireAt() + " reached");
                        contingencies.onEnded(b, o);
                    } else if (o.status() != OrderStatus.PENDING_CANCEL && o.status() != OrderStatus.PENDING_REPLACE) {
                        b.afterCommit(() -> cancel(state.id(), o.id(), Trigger.EXPIRE, "expire_at " + o.spec().expireAt() + " reached")
                                .subscribe().with(ok -> { }, e -> LOG.debugf("Expiry of %s: %s", o.id(), e.getMessage())));
                    }
                }
                // Follow-ups that had to wait (their order busy, the venue refusing for now) are tried again.
                for (UUID due : state.followUpsDue(now)) {
                    b.afterCommit(() -> workFollowUps(state.id(), due));
                }
                return store.commit(b);
            }).subscribe().with(ok -> { }, e -> LOG.errorf(e, "Expiry check of %s failed", lane.key()));
        }
    }

    /**
     * Takes a contingency's follow-up, in the lane once the batch that decided it is committed. Sending an armed child
     * runs at once; work on an order at the venue joins the order's queue and runs when the order is free
     * ({@link #workFollowUps}).
     */
    private void takeFollowUp(InstrumentState state, Contingencies.FollowUp followUp) {
        if (followUp instanceof Contingencies.SendToVenue s) {
            lane(state.id()).submit(st -> {
                Optional<WorkingOrder> o = st.working(s.orderId());
                if (o.isEmpty() || o.get().venueOrderId() != null || !o.get().isWorking()) {
                    return Uni.createFrom().voidItem();
                }
                LaneBatch b = new LaneBatch(st, clock.instant());
                return sendToVenue(b, o.get()).flatMap(x -> store.commit(b));
            }).subscribe().with(ok -> { }, e -> LOG.warnf("Follow-up %s did not complete: %s", followUp, e.getMessage()));
            return;
        }
        state.queueFollowUp(followUp);
        workFollowUps(state.id(), followUp.orderId());
    }

    /**
     * Runs the next follow-up queued for an order, once the order is not waiting on the venue, as a cancel or replace
     * of its own (a resize checked against the venue's rules only, see {@link #resizeForContingency}). Done, the next
     * one runs. Not done (the order's own replace or cancel in progress, the venue busy, unsure or refusing), it stays
     * first in the queue and is tried again after the order's next settlement or by the sweep once its backoff has
     * passed (see {@link InstrumentState#followUpFailed}), so an OCO partner's cancel is never lost to timing and a
     * venue that keeps refusing is not asked every second. Only a resize to a quantity that cannot exist at the venue
     * (lot, tick, min notional) is given up: a shrink then cancels the order instead (less open, never more), a growth
     * is left. Any other refusal never cancels a protective order whose position is still open.
     */
    private void workFollowUps(InstrumentId id, UUID orderId) {
        lane(id).submit(state -> Uni.createFrom().item(state.claimFollowUp(orderId)))
                .subscribe().with(claimed -> claimed.ifPresent(f -> runFollowUp(id, f)),
                        e -> LOG.warnf("Follow-ups of order %s: %s", orderId, e.getMessage()));
    }

    private void runFollowUp(InstrumentId id, Contingencies.FollowUp followUp) {
        Uni<Order> work = switch (followUp) {
            case Contingencies.CancelAtVenue c -> cancel(id, c.orderId(), Trigger.CANCEL, c.cause());
            case Contingencies.ResizeAtVenue r -> resizeForContingency(id, r.orderId(), r.quantity());
            default -> Uni.createFrom().failure(new IllegalStateException("not queued: " + followUp));
        };
        work.subscribe().with(
                done -> release(id, followUp, state -> {
                    state.followUpEnded(followUp, true);
                    return true;
                }),
                failure -> release(id, followUp, state -> {
                    if (followUp instanceof Contingencies.ResizeAtVenue r && cannotExist(failure)) {
                        if (!r.grow()) {
                            LOG.warnf("Shrink of order %s to %s cannot be placed (%s): the order is canceled instead", r.orderId(),
                                    r.quantity().toPlainString(), failure.getMessage());
                            state.followUpReplaced(followUp, new Contingencies.CancelAtVenue(r.orderId(), r.cause() + "; it could not be shrunk"));
                        } else {
                            LOG.errorf("Growth of order %s to %s cannot be placed (%s): it stays at %s", r.orderId(), r.quantity().toPlainString(),
                                    failure.getMessage(), state.working(r.orderId()).map(o -> o.quantity().toPlainString()).orElse("?"));
                            state.followUpEnded(followUp, true);
                        }
                        return true;
                    }
                    Duration wait = state.followUpFailed(followUp, failureKind(failure), clock.instant());
                    LOG.infof("Follow-up %s not done (%s); tried again in %d s, or after the order's next settlement", followUp,
                            failure.getMessage(), wait.toSeconds());
                    return false;
                }));
    }

    /**
     * Ends the claim of a follow-up that ran, in the lane ({@code ended} answers whether the order's next follow-up
     * runs now). Tried again when the lane task fails before it ran (the lane could not read its state back from the
     * database): a claim never released would keep the order's follow-ups from ever running again.
     */
    private void release(InstrumentId id, Contingencies.FollowUp followUp, Function<InstrumentState, Boolean> ended) {
        Uni.createFrom().deferred(() -> lane(id).submit(state -> Uni.createFrom().item(ended.apply(state))))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(100)
                .subscribe().with(next -> {
                    if (next) {
                        workFollowUps(id, followUp.orderId());
                    }
                }, e -> LOG.errorf("Follow-up %s of order %s could not be released (%s); the order's follow-ups no longer run "
                        + "(reconciliation after a restart settles it)", followUp, followUp.orderId(), e.getMessage()));
    }

    /** Reasons a resize is refused for that cannot change: the quantity cannot exist at the venue. */
    private static final java.util.Set<RejectReason> CANNOT_EXIST = java.util.EnumSet.of(RejectReason.LOT_SIZE, RejectReason.TICK_SIZE,
            RejectReason.MIN_NOTIONAL, RejectReason.INVALID_QUANTITY);

    /** True when the request itself is invalid (400) or names a quantity the venue cannot have. */
    private static boolean cannotExist(Throwable failure) {
        return failure instanceof ProblemException p && (p.status() == 400 || CANNOT_EXIST.contains(p.problem().reason()));
    }

    /** What a failure is, to tell the same one again: its status and reason (or type), or its class. */
    private static String failureKind(Throwable failure) {
        if (failure instanceof ProblemException p) {
            return p.status() + " " + (p.problem().reason() != null ? p.problem().reason().name() : p.problem().type());
        }
        return failure.getClass().getName();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The kill switch's work

    /** Completes once every task queued in every lane before this call has finished. */
    public Uni<Void> drainLanes() {
        List<Uni<Void>> barriers = new ArrayList<>();
        for (Lane<InstrumentState> lane : lanes.all().values()) {
            barriers.add(lane.submit(state -> Uni.createFrom().voidItem()));
        }
        return join(barriers);
    }

    /**
     * Closes every model's position in every instrument with a market order (the engine's own, allowed while the kill
     * switch is active because it only reduces). {@code tag} makes the orders' keys unique to one trip, so a retry of
     * the same trip cannot double them. Answers what each order became.
     */
    public Uni<List<Order>> flattenAll(String tag) {
        List<Uni<List<Order>>> perInstrument = new ArrayList<>();
        for (Lane<InstrumentState> lane : lanes.all().values()) {
            perInstrument.add(lane.submit(state -> Uni.createFrom().item(state.positions()))
                    .flatMap(positions -> {
                        Uni<List<Order>> chain = Uni.createFrom().item(new ArrayList<>());
                        for (Map.Entry<String, dev.tradeplane.engine.position.PositionState> p : positions.entrySet()) {
                            BigDecimal quantity = p.getValue().quantity();
                            if (quantity.signum() == 0) {
                                continue;
                            }
                            InstrumentId id = InstrumentId.parse(lane.key()).orElseThrow();
                            String clientOrderId = FLATTEN_PREFIX + UUID.nameUUIDFromBytes((tag + "|" + id + "|" + p.getKey())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            OrderRequest request = OrderRequest.simple(clientOrderId, id.toString(), quantity.signum() > 0 ? Side.SELL : Side.BUY,
                                    OrderType.MARKET, quantity.abs(), null, null, TimeInForce.IOC, p.getKey());
                            chain = chain.flatMap(done -> submit(clientOrderId, request)
                                    .map(answer -> {
                                        done.add(read(answer.body()));
                                        return done;
                                    })
                                    .onFailure().recoverWithItem(e -> {
                                        LOG.errorf("Flattening %s of %s failed: %s", id, p.getKey(), e.getMessage());
                                        return done;
                                    }));
                        }
                        return chain;
                    }));
        }
        return perInstrument.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(perInstrument).andCollectFailures().map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    private Order read(String body) {
        try {
            return body.contains("\"type\":\"https://") ? mapper.readValue(body, Problem.class).order() : mapper.readValue(body, Order.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Start-up: take back the committed state, finish what was cut off, then accept requests.

    /**
     * What the venues report before the working orders are back in their lanes (a venue starts, and may push fills,
     * before {@link #recover()}): kept in arrival order and handed on once they are; null from then on.
     */
    private List<Runnable> early = new ArrayList<>();
    private volatile boolean listening;

    /**
     * Listens to the venues' executions from now on; called before they start. A fill or end reported before the
     * working orders are restored waits for them, so it is applied to its order, not taken for a stranger's.
     */
    public void listen() {
        listening = true;
        for (Venue venue : venues.all()) {
            venue.setExecutionListener(new ExecutionListener() {
                @Override
                public void onFill(String venue, String symbol, String clientOrderId, VenueFill fill, boolean orderDone) {
                    whenResumed(() -> onVenueFill(venue, symbol, clientOrderId, fill, orderDone));
                }

                @Override
                public void onEnded(String venue, String symbol, String clientOrderId, boolean expired, String why) {
                    whenResumed(() -> onVenueEnded(venue, symbol, clientOrderId, expired, why));
                }
            });
        }
    }

    private void whenResumed(Runnable report) {
        synchronized (this) {
            if (early != null) {
                early.add(report);
                return;
            }
        }
        report.run();
    }

    private void resumed() {
        int applied = 0;
        while (true) {
            List<Runnable> waiting;
            synchronized (this) {
                if (early == null || early.isEmpty()) {
                    // Only now do later reports go straight on: none can overtake one that arrived before it.
                    early = null;
                    break;
                }
                waiting = early;
                early = new ArrayList<>();
            }
            waiting.forEach(Runnable::run);
            applied += waiting.size();
        }
        if (applied > 0) {
            LOG.infof("%d venue report(s) that arrived during start-up are applied now", applied);
        }
    }

    /** Restores balances, positions and working orders from the database (the engine opens once reconciled). */
    public Uni<Void> recover() {
        Instant now = clock.instant();
        if (!listening) {
            listen();
        }
        for (Venue venue : venues.all()) {
            venue.setMarketListener(this::onQuote);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Venue venue : venues.all()) {
            chain = chain.flatMap(x -> balanceRepository.initialize(venue.name(), venue.openingBalances(), now));
        }
        return chain
                .flatMap(x -> balanceRepository.all()).invoke(balances::load)
                .flatMap(x -> positions.all())
                .flatMap(saved -> {
                    List<Uni<Void>> restores = new ArrayList<>();
                    for (PositionRepository.SavedPosition p : saved) {
                        if (venues.instrument(p.instrument()).isEmpty()) {
                            LOG.warnf("Position in %s kept in the database but not traded: no such instrument here", p.instrument());
                            continue;
                        }
                        metrics.realizedPnl(p.instrument().venue(), p.model(), p.instrument().symbol(), p.state().realizedPnl());
                        positionsView.put(p.instrument(), p.model(), p.state());
                        ledger.apply(p.instrument(), p.model(), p.state().quantity(), Side.BUY, BigDecimal.ZERO, 0);
                        restores.add(lane(p.instrument()).submit(state -> {
                            state.setPosition(p.model(), p.state());
                            return Uni.createFrom().voidItem();
                        }));
                    }
                    return join(restores);
                })
                .flatMap(x -> orders.findWorking())
                .flatMap(this::resumeWorking)
                .invoke(this::resumed)
                .invoke(() -> {
                    for (Venue venue : venues.all()) {
                        metrics.equity(venue.name(), () -> valuation.equityUsd(venue.name(), balances.of(venue.name())));
                    }
                });
    }

    /** Starts taking orders; called once recovery and the first reconciliation are done. */
    public void open() {
        ready = true;
    }

    /** Puts the saved working orders back into their lanes; reconciliation with the venue follows. */
    private Uni<Void> resumeWorking(List<OrderRepository.SavedWorkingOrder> saved) {
        Map<InstrumentId, List<WorkingOrder>> byInstrument = new HashMap<>();
        for (OrderRepository.SavedWorkingOrder w : saved) {
            if (venues.instrument(w.spec().instrument()).isEmpty()) {
                LOG.warnf("Working order %s is for %s, which this engine does not trade; left as it is", w.spec().id(), w.spec().instrument());
                continue;
            }
            byInstrument.computeIfAbsent(w.spec().instrument(), k -> new ArrayList<>()).add(WorkingOrder.restore(w.spec(), w.saved()));
        }
        List<Uni<Void>> resumed = new ArrayList<>();
        byInstrument.forEach((id, list) -> resumed.add(lane(id).submit(state -> {
            list.forEach(o -> takeBack(state, o));
            return Uni.createFrom().voidItem();
        })));
        return join(resumed);
    }

    /**
     * Puts an order read back from the database into its lane. For a PENDING_REPLACE order no answer can come any more,
     * and the time its replace was sent is not saved (kept in memory only); but it was sent before now, so the venue may
     * act on it until a late-action window from now at the latest. A restart (or a dropped commit) thus costs one
     * window's wait before such a replace is settled on a view that is not conclusive, never an early settlement; a
     * cancel meanwhile cancels whatever works at the venue.
     */
    private void takeBack(InstrumentState state, WorkingOrder o) {
        state.track(o);
        store.syncLedger(o);
        if (o.status() == OrderStatus.PENDING_REPLACE) {
            o.replaceUnsureUntil(clock.instant().plus(state.venue().lateActionWindow()));
            o.requestUnanswered(true);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reconciliation with the venue

    /** What reconciling one instrument found. */
    public record Reconciled(int ordersChecked, List<ReconciliationReport.Mismatch> mismatches) {}

    /**
     * Compares the instrument's working orders with the venue, in the instrument's lane: trades the venue made that
     * the engine did not record are applied (each once, by trade id); orders the venue no longer has are closed;
     * orders cut off before the venue's answer was saved are taken as the venue has them, or sent again if it never
     * got them; orders working at the venue that the engine does not know are canceled there. {@code venueOpen} is the
     * venue's list of working orders, read once for the whole venue.
     */
    public Uni<Reconciled> reconcile(InstrumentId id, List<VenueOrderState> venueOpen) {
        return lane(id).submit(state -> adoptStrays(state).flatMap(adopted -> {
            state.dropFollowUpsOfEnded();
            LaneBatch b = new LaneBatch(state, clock.instant());
            List<ReconciliationReport.Mismatch> found = new ArrayList<>();
            // An order whose replace is answered but not yet settled is left to the settlement queued behind this.
            List<WorkingOrder> checked = state.workingOrders().stream()
                    .filter(o -> o.status() == OrderStatus.NEW || !Contingencies.notAtVenue(o))
                    .filter(o -> !state.replacing(o.id())).toList();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (WorkingOrder o : checked) {
                chain = chain.flatMap(x -> state.venue().query(id.symbol(), o.clientOrderId()))
                        .flatMap(venueView -> venueView.isPresent()
                                ? fills.tradeIds(o.id()).flatMap(recorded -> compare(b, o, venueView.get(), recorded, found))
                                : missing(b, o, found));
            }
            return chain.flatMap(x -> {
                for (WorkingOrder o : state.workingOrders()) {
                    if (contingencies.orphanedLeg(b, o)) {
                        found.add(new ReconciliationReport.Mismatch("orphaned_oco_leg", id.toString(), o.id().toString(), o.clientOrderId(),
                                "its OCO partner " + o.ocoPartnerId() + " is no longer working: canceled"));
                    }
                }
                java.util.Set<String> known = new java.util.HashSet<>();
                state.workingOrders().forEach(o -> known.add(state.venue().venueClientId(o.clientOrderId())));
                for (VenueOrderState v : venueOpen) {
                    if (v.symbol().equals(id.symbol()) && !known.contains(v.clientOrderId())) {
                        found.add(new ReconciliationReport.Mismatch("orphan_order", id.toString(), null, v.clientOrderId(),
                                "working at the venue but unknown to the engine: canceled there"));
                        b.afterCommit(() -> state.venue().cancel(id.symbol(), v.clientOrderId()).subscribe().with(ok -> { },
                                e -> LOG.warnf("Orphan %s could not be canceled: %s", v.clientOrderId(), e.getMessage())));
                    }
                }
                return store.commit(b);
            }).map(x -> new Reconciled(checked.size(), found));
        }));
    }

    /**
     * Takes back into the lane the orders the database has as working but the lane does not hold: those whose change
     * could not be committed (the database failed) and were dropped from memory. Reconciliation then settles them
     * with the venue, instead of taking them for strangers there.
     */
    private Uni<Integer> adoptStrays(InstrumentState state) {
        return orders.findWorking().map(saved -> {
            int adopted = 0;
            for (OrderRepository.SavedWorkingOrder w : saved) {
                if (w.spec().instrument().equals(state.id()) && state.working(w.spec().id()).isEmpty()) {
                    takeBack(state, WorkingOrder.restore(w.spec(), w.saved()));
                    adopted++;
                }
            }
            if (adopted > 0) {
                LOG.warnf("%d order(s) of %s were working in the database but not in memory (a commit failed); taken back to reconcile them",
                        adopted, state.id());
            }
            return adopted;
        });
    }

    /**
     * Takes the venue's view of one order: trades not booked yet are booked (each once, by trade id), an order the
     * venue no longer works is closed, one cut off before the venue's answer was saved takes the venue's state. A
     * replace whose answer was lost is settled as the venue has the order ({@code replace_settled}) only on a view
     * that can no longer change: the order ended there, or shows something other than the old order (the replacement),
     * or the venue's late-action window for the replace has passed. The old order unchanged inside that window is no
     * answer (the venue may still apply the replace after this look), so the order stays PENDING_REPLACE and is
     * settled once the window has passed.
     */
    private Uni<Void> compare(LaneBatch b, WorkingOrder o, VenueOrderState venue, java.util.Set<String> recorded,
                              List<ReconciliationReport.Mismatch> found) {
        String symbol = o.instrument().toString();
        boolean wasNew = o.status() == OrderStatus.NEW;
        o.missingSince(null);
        if (o.venueOrderId() == null && venue.venueOrderId() != null) {
            // Found at the venue after its submit went unanswered: the order is there, and a cancel or a contingency's
            // change of it must go there, not stay in the engine.
            o.setVenueOrderId(venue.venueOrderId());
            b.touch(o);
        }
        // What is still open of the order at the venue.
        BigDecimal open = venue.quantity().subtract(venue.filledQuantity()).max(BigDecimal.ZERO);
        if (o.status() == OrderStatus.PENDING_REPLACE) {
            // A replace whose answer was lost may have left the venue a larger order: its trades are the order's.
            BigDecimal unbooked = venue.trades().stream().filter(t -> !recorded.contains(t.tradeId())).map(VenueFill::quantity)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            // Ended there (canceled since), the order's total is still the venue's: the replacement's, if it was placed.
            BigDecimal atVenue = venue.working() ? o.filledQuantity().add(unbooked).add(open)
                    : o.filledQuantity().add(unbooked).max(venue.quantity());
            if (atVenue.compareTo(o.quantity()) > 0) {
                o.resize(atVenue);
            }
            if (!venue.working() && venue.price() != null && o.price() != null) {
                o.reprice(venue.price(), null);
            }
        }
        for (VenueFill trade : venue.trades()) {
            if (recorded.contains(trade.tradeId())) {
                continue;
            }
            if (!o.isWorking()) {
                // It filled in this loop (reconciliation checks working orders): that takes no late trade.
                found.add(bookLate(b, o, trade, Map.of()));
                continue;
            }
            if (growToFit(o, trade)) {
                found.add(new ReconciliationReport.Mismatch("overfill", symbol, o.id().toString(), o.clientOrderId(),
                        "trade " + trade.tradeId() + " went beyond the order's quantity: booked, the order grown to " + o.quantity().toPlainString()));
            }
            b.fill(o, trade);
            contingencies.onFill(b, o, trade.quantity());
            found.add(new ReconciliationReport.Mismatch("missed_fill", symbol, o.id().toString(), o.clientOrderId(),
                    "trade " + trade.tradeId() + " of " + trade.quantity().toPlainString() + " at " + trade.price().toPlainString()
                            + " was not recorded: applied"));
        }
        b.touch(o);
        if (wasNew) {
            found.add(new ReconciliationReport.Mismatch("adopted_order", symbol, o.id().toString(), o.clientOrderId(),
                    "the venue had the order (" + (venue.working() ? "working" : "done") + "); the engine takes its state"));
            if (o.isWorking() && o.status() == OrderStatus.NEW && venue.working()) {
                o.apply(Trigger.ACCEPT, "found working at the venue", b.now());
            }
            answerKey(b, o);
        }
        if (o.isWorking() && !venue.working()) {
            o.apply(Trigger.CANCEL, "no longer working at the venue", b.now());
            contingencies.onEnded(b, o);
            if (!wasNew) {
                found.add(new ReconciliationReport.Mismatch("vanished_order", symbol, o.id().toString(), o.clientOrderId(),
                        "working at the engine, ended at the venue: closed"));
            }
        } else if (o.status() == OrderStatus.PENDING_REPLACE) {
            // The replace's answer was lost: the order is taken as the venue has it, replaced or not.
            BigDecimal total = o.filledQuantity().add(open);
            boolean changed = total.compareTo(o.quantity()) != 0 || venue.price() != null && o.price() != null && venue.price().compareTo(o.price()) != 0;
            Instant until = o.replaceUnsureUntil();
            if (!changed && until != null && b.now().isBefore(until)) {
                // The old order still works there as it was, and the venue may yet act on the replace: taken as it is
                // now, the engine would hold the old price and quantity for the replacement. Its trades are booked
                // (above); the replace is settled once the venue can no longer act on it.
                LOG.infof("Order %s, whose replace was not answered, still works unchanged at %s, which may act on the replace until %s: "
                        + "settled then", o.id(), o.instrument().venue(), until);
                b.afterCommit(() -> settleLater(o.instrument(), o.id(), Duration.between(clock.instant(), until)));
                return Uni.createFrom().voidItem();
            }
            if (total.compareTo(o.filledQuantity()) > 0) {
                o.resize(total);
            }
            if (venue.price() != null && o.price() != null) {
                o.reprice(venue.price(), null);
            }
            o.restore("the replace was not answered; taken as " + o.instrument().venue() + " has it: " + open.toPlainString() + " open"
                    + (venue.price() == null ? "" : " at " + venue.price().toPlainString()), b.now());
            found.add(new ReconciliationReport.Mismatch("replace_settled", symbol, o.id().toString(), o.clientOrderId(),
                    "the replace was not answered; the venue has " + (changed ? "the replacement" : "the order as it was") + ": "
                            + open.toPlainString() + " open" + (venue.price() == null ? "" : " at " + venue.price().toPlainString())));
        } else if (o.status() == OrderStatus.PENDING_CANCEL) {
            b.afterCommit(() -> cancel(o.instrument(), o.id(), Trigger.CANCEL, "cancel sent again after a restart")
                    .subscribe().with(ok -> { }, e -> LOG.warnf("Cancel of %s sent again: %s", o.id(), e.getMessage())));
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * The venue does not know the order. A NEW order whose submit was lost is left alone while the venue may still act
     * on it, and rejected after (it never got it); one cut off before it was sent is sent now. A working order is
     * closed only when the venue still does not know it once its late-action window has passed since it first said so
     * (asked again then): a single "unknown order" right after a request is not the last word.
     */
    private Uni<Void> missing(LaneBatch b, WorkingOrder o, List<ReconciliationReport.Mismatch> found) {
        String symbol = o.instrument().toString();
        Duration window = b.state().venue().lateActionWindow();
        if (o.status() == OrderStatus.NEW && o.unsureAtVenueUntil() != null) {
            if (b.now().isBefore(o.unsureAtVenueUntil())) {
                return Uni.createFrom().voidItem();
            }
            settleSubmit(b, o, VenueAck.rejected(RejectReason.VENUE_ERROR, "the venue did not answer the order and, once it could no longer "
                    + "act on it, did not know it"));
            return Uni.createFrom().voidItem();
        }
        if (o.status() == OrderStatus.NEW) {
            // Committed but cut off before it reached the venue: send it now, under its own key.
            found.add(new ReconciliationReport.Mismatch("resubmitted_order", symbol, o.id().toString(), o.clientOrderId(),
                    "never reached the venue: sent now"));
            return activate(b, o).invoke(() -> answerKey(b, o));
        }
        if (window.isPositive() && (o.missingSince() == null || b.now().isBefore(o.missingSince().plus(window)))) {
            if (o.missingSince() == null) {
                o.missingSince(b.now());
                b.afterCommit(() -> settleLater(o.instrument(), o.id(), window));
                LOG.warnf("Venue %s does not know working order %s (%s); asked again in %s before it is closed", o.instrument().venue(),
                        o.id(), o.status(), window);
            }
            return Uni.createFrom().voidItem();
        }
        o.apply(Trigger.CANCEL, "the venue does not know the order", b.now());
        b.touch(o);
        contingencies.onEnded(b, o);
        found.add(new ReconciliationReport.Mismatch("vanished_order", symbol, o.id().toString(), o.clientOrderId(),
                "working at the engine, unknown to the venue: closed"));
        return Uni.createFrom().voidItem();
    }

    /** Settles one order with its venue once {@code after} has passed (see {@link #settleOne}). */
    private void settleLater(InstrumentId id, UUID orderId, Duration after) {
        Duration wait = after.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : after;
        Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                .flatMap(x -> lane(id).submit(state -> settleOne(state, orderId, "settled with the venue")))
                .subscribe().with(ok -> { }, e -> LOG.warnf("Order %s could not be settled with its venue (%s); the next reconciliation does it",
                        orderId, e.getMessage()));
    }

    /**
     * Asks the venue for one order and takes its state, as reconciliation does for each (its trades booked once each,
     * a replace whose answer was lost taken as the venue has it, an order the venue no longer works closed), in the
     * order's lane. Answers the order as it is then. An order whose replace answer waits for its settlement is left
     * to it.
     */
    private Uni<Optional<Order>> settleOne(InstrumentState state, UUID orderId, String why) {
        Optional<WorkingOrder> working = state.working(orderId);
        if (working.isEmpty()) {
            return orders.find(orderId);
        }
        WorkingOrder o = working.get();
        if (state.replacing(orderId) || o.status() != OrderStatus.NEW && Contingencies.notAtVenue(o)) {
            return Uni.createFrom().item(Optional.of(o.toWire()));
        }
        LaneBatch b = new LaneBatch(state, clock.instant());
        List<ReconciliationReport.Mismatch> found = new ArrayList<>();
        return state.venue().query(o.instrument().symbol(), o.clientOrderId())
                .flatMap(venueView -> venueView.isPresent()
                        ? fills.tradeIds(o.id()).flatMap(recorded -> compare(b, o, venueView.get(), recorded, found))
                        : missing(b, o, found))
                .invoke(() -> publishLate(b, found))
                .flatMap(x -> store.commit(b))
                .invoke(() -> LOG.infof("Order %s %s (%s): %s, %s", o.id(), why, o.instrument().venue(), o.status(), found))
                .map(x -> Optional.of(o.toWire()));
    }

    /** Mismatch kinds of a trade reported after its order ended. */
    private static final java.util.Set<String> LATE_KINDS = java.util.Set.of("late_fill", "unbooked_fill");

    /**
     * Outside a reconciliation (which publishes all it finds), what {@link #compare} found of trades reported after
     * their order ended is published with the batch; the rest is in the order's transitions.
     */
    private static void publishLate(LaneBatch b, List<ReconciliationReport.Mismatch> found) {
        found.stream().filter(m -> LATE_KINDS.contains(m.kind())).forEach(b::mismatch);
    }

    /**
     * A fill reported for no working order: the order ended in the engine before the venue's report of a trade it made
     * came (a canceled order's last trade caught up after a reconnection, an order closed on the venue's word). It is
     * looked up in the database by client order id (or the id the venue has it under) and booked to it late, or it fails
     * closed (see {@link #bookLate}). A trade of an order the engine never had (someone else's, on the same account) is
     * logged and left to reconciliation's balance check.
     */
    private Uni<Void> lateFill(InstrumentState state, String clientOrderId, VenueFill fill) {
        return savedOrder(state, clientOrderId).flatMap(saved -> lateFills(state, saved, List.of(fill), clientOrderId));
    }

    private Uni<Optional<OrderRepository.SavedWorkingOrder>> savedOrder(InstrumentState state, String clientOrderId) {
        return orders.findSaved(clientOrderId).flatMap(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found);
            }
            // The venue may report it under its own id for it (Binance's digest of a long id, after a restart).
            return orders.findSavedAtVenue(state.id().venue(), clientOrderId);
        });
    }

    private Uni<Void> lateFills(InstrumentState state, Optional<OrderRepository.SavedWorkingOrder> saved, List<VenueFill> late, String named) {
        if (saved.isEmpty()) {
            late.forEach(f -> LOG.warnf("Fill %s at %s for %s matches no order of the engine; left for reconciliation's balance check",
                    f.tradeId(), state.id(), named));
            return Uni.createFrom().voidItem();
        }
        WorkingOrder o = WorkingOrder.restore(saved.get().spec(), saved.get().saved());
        if (o.isWorking()) {
            // Working in the database, not in the lane (a commit failed): reconciliation takes it back with its trades.
            LOG.warnf("Fill(s) %s for order %s, working in the database but not in memory, are left for reconciliation",
                    late.stream().map(VenueFill::tradeId).toList(), o.id());
            return Uni.createFrom().voidItem();
        }
        return fills.tradeIds(o.id()).flatMap(recorded -> endedLinks(state, o).flatMap(ended -> {
            LaneBatch b = new LaneBatch(state, clock.instant());
            java.util.Set<String> booked = new java.util.HashSet<>(recorded);
            for (VenueFill f : late) {
                if (booked.add(f.tradeId())) {
                    b.mismatch(bookLate(b, o, f, ended));
                }
            }
            return store.commit(b);
        }));
    }

    /**
     * The orders linked to {@code o} (its OCO partner, its bracket children) that the lane no longer holds, as the
     * database has them: those that ended before now. Read before the batch that books a late trade of {@code o}, so
     * that its contingency's effects are decided in that batch (see {@link #bookLate}). One working in the database
     * but not in memory (a commit failed) is left for reconciliation, which takes it back.
     */
    private Uni<Map<UUID, WorkingOrder>> endedLinks(InstrumentState state, WorkingOrder o) {
        List<UUID> linked = new ArrayList<>(o.children());
        if (o.ocoPartnerId() != null) {
            linked.add(o.ocoPartnerId());
        }
        List<Uni<Optional<WorkingOrder>>> reads = new ArrayList<>();
        for (UUID l : linked) {
            if (state.working(l).isEmpty()) {
                reads.add(orders.findSaved(l).map(saved -> saved.map(w -> WorkingOrder.restore(w.spec(), w.saved()))));
            }
        }
        if (reads.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(reads).andFailFast().map(found -> {
            Map<UUID, WorkingOrder> ended = new HashMap<>();
            for (Optional<WorkingOrder> w : found) {
                if (w.isPresent() && w.get().isWorking()) {
                    LOG.warnf("Order %s, linked to %s which took a late trade, works in the database but not in memory; "
                            + "left for reconciliation", w.get().id(), o.id());
                }
                w.filter(x -> !x.isWorking()).ifPresent(x -> ended.put(x.id(), x));
            }
            return ended;
        });
    }

    /**
     * A trade the venue reports for an order the engine has as final. Nothing of it may vanish: a canceled or expired
     * order it fits takes it (the venue traded before it ended the order; the position, balances and the order's
     * filled quantity follow the venue, the status stays: {@code late_fill}). Anything else (a rejected order the venue
     * did execute, a filled one it would overfill) cannot be booked without guessing: it is recorded
     * ({@code unbooked_fill}, with the trade) and the venue's {@code reconciliation} breaker opens, refusing new orders
     * on the venue until a person has looked into it and closes it.
     *
     * <p>The order's OCO partner and bracket children follow a booked trade in the same batch, as they follow a fill
     * (see {@link Contingencies#onLateFill}), so their changes commit with the trade or not at all. Only the linked
     * orders that ended before ({@code ended}) need the database, and they are read before the batch
     * ({@link #endedLinks}). Decided in a task after the commit instead, the effects were lost without a trace to a
     * restart in between, to a commit whose outcome could not be learned (no task follows it) and to that task
     * failing. Where the effects cannot be had (the position the trade made is left unprotected, or both legs of an
     * OCO traded), it fails closed as for a trade that cannot be booked: an {@code unprotected_fill} mismatch is
     * published and counted with the trade, and the venue's {@code reconciliation} breaker opens. So it does when the
     * batch is not known committed ({@link LaneBatch#failClosedIfLost}): the trade is not reported again, and the
     * effects at the venue (a partner's shrink or cancel, a take-profit's growth) run only after a known commit.
     */
    private ReconciliationReport.Mismatch bookLate(LaneBatch b, WorkingOrder o, VenueFill f, Map<UUID, WorkingOrder> ended) {
        String trade = "trade " + f.tradeId() + " of " + f.quantity().toPlainString() + " at " + f.price().toPlainString();
        if (o.takesLateFill(f)) {
            OrderStatus status = o.status();
            b.lateFill(o, f);
            if (o.ocoPartnerId() != null || !o.children().isEmpty()) {
                String why = contingencies.onLateFill(b, o, f.quantity(), ended);
                if (why != null) {
                    String detail = trade + " came after the order was " + status + " and was booked, but " + why + ": new orders on "
                            + o.instrument().venue() + " are refused until this is looked into";
                    LOG.errorf("Order %s: %s", o.id(), detail);
                    b.mismatch(new ReconciliationReport.Mismatch("unprotected_fill", o.instrument().toString(), o.id().toString(),
                            o.clientOrderId(), detail));
                    b.failClosed("unprotected trade " + f.tradeId() + " of order " + o.clientOrderId());
                }
                b.failClosedIfLost("unprotected_fill", "late " + trade + " of order " + o.clientOrderId() + " and what its OCO "
                        + "partner or bracket children do for it may not be saved");
            } else {
                // Reported once: not saved with this batch, it is not booked at all.
                b.failClosedIfLost("unbooked_fill", "late " + trade + " of order " + o.clientOrderId() + " may not be saved");
            }
            LOG.warnf("%s for order %s came after the order was %s: booked to it", trade, o.id(), status);
            return new ReconciliationReport.Mismatch("late_fill", o.instrument().toString(), o.id().toString(), o.clientOrderId(),
                    trade + " came after the order was " + status + ": booked, the order stays " + status);
        }
        String detail = trade + " came after the order was " + o.status() + " (" + o.filledQuantity().toPlainString() + " of "
                + o.quantity().toPlainString() + " filled) and cannot be booked to it: new orders on " + o.instrument().venue()
                + " are refused until this is looked into";
        LOG.errorf("Order %s: %s", o.id(), detail);
        b.failClosed("unbooked trade " + f.tradeId() + " of order " + o.clientOrderId());
        b.failClosedIfLost("unbooked_fill", "unbooked trade " + f.tradeId() + " of order " + o.clientOrderId() + " may not be recorded");
        return new ReconciliationReport.Mismatch("unbooked_fill", o.instrument().toString(), o.id().toString(), o.clientOrderId(), detail);
    }

    /**
     * Gives an order's idempotency key the answer it never got (the engine stopped before saving it), once the batch
     * that settles the order is committed: a retry of the request then gets it.
     */
    private void answerKey(LaneBatch b, WorkingOrder o) {
        b.answerIfMissing(o.id(), () -> {
            if (o.spec().contingency() == null) {
                return answerSingle(o);
            }
            List<WorkingOrder> group = new ArrayList<>(List.of(o));
            o.children().forEach(c -> b.state().working(c).ifPresent(group::add));
            if (o.ocoPartnerId() != null) {
                b.state().working(o.ocoPartnerId()).ifPresent(group::add);
            }
            return answerGroup(o.spec().contingency(), group);
        });
    }

    private static Uni<Void> join(List<Uni<Void>> unis) {
        return unis.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(unis).andFailFast().replaceWithVoid();
    }

    /**
     * True when a re-price alone ended the order: it ended as a cancel/replace of it was settled (Binance's
     * cancel/replace canceled the old order and refused the replacement, or canceled a replacement a racing fill made
     * too large) and no cancel of it was ever asked for. A cancel of an order whose replace was not answered ends it
     * from PENDING_REPLACE too; the saved request tells it apart, after a restart as well.
     */
    public Uni<Boolean> endedByReplaceOnly(UUID orderId) {
        return orders.endedByReplaceOnly(orderId);
    }

    /** The order an idempotency key created, if it created one (without its fills). */
    public Uni<Optional<Order>> byIdempotencyKey(String key) {
        return orders.findKey(key).flatMap(found -> found.isEmpty() || found.get().orderId() == null
                ? Uni.createFrom().item(Optional.<Order>empty())
                : orders.find(found.get().orderId()));
    }

    /** One order with its fills, by id or client order id. */
    public Uni<Order> get(String idOrClientId) {
        Uni<Optional<Order>> found;
        try {
            found = orders.find(UUID.fromString(idOrClientId));
        } catch (IllegalArgumentException notUuid) {
            found = orders.findByClientOrderId(idOrClientId);
        }
        return found.flatMap(o -> {
            Order order = o.orElseThrow(() -> Problems.notFound("No order with id or client_order_id " + idOrClientId));
            return fills.list(UUID.fromString(order.id()), null, null, null, 1000).map(order::withFills);
        });
    }
}
