package dev.tradeplane.engine.order;

import dev.tradeplane.common.outbox.Outbox;
import dev.tradeplane.engine.account.BalanceRepository;
import dev.tradeplane.engine.account.Balances;
import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.fill.FillRepository;
import dev.tradeplane.engine.metrics.TradingMetrics;
import dev.tradeplane.engine.position.PositionRepository;
import dev.tradeplane.engine.position.PositionState;
import dev.tradeplane.engine.risk.ExposureLedger;
import dev.tradeplane.engine.risk.PositionsView;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.engine.risk.VenueHealth;
import dev.tradeplane.model.Event;
import dev.tradeplane.model.EventTypes;
import dev.tradeplane.model.Fill;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.Position;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Commits a {@link LaneBatch} in one transaction (orders, transitions, fills, positions, balance increments, the
 * idempotency key and its answer, the events), then applies it to the lane's memory and metrics. Only then are the
 * batch's follow-ups run. A commit that fails is retried a few times; if it still fails, the orders it touched are
 * dropped from the lane's memory (the database, not memory, is the truth they are restored from).
 */
@Singleton
public class OrderStore {

    private static final int ATTEMPTS = 3;
    private static final Duration OUTCOME_DEADLINE = Duration.ofSeconds(30);

    /** A transaction failed and the database could not be asked whether it committed. */
    static final class OutcomeUnknown extends RuntimeException {
        OutcomeUnknown(Throwable cause) {
            super("commit outcome unknown: " + cause.getMessage(), cause, false, false);
        }
    }

    /** The batch's idempotency key was taken first by another request; nothing was written. */
    public static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("idempotency key already used", null, false, false);
        }
    }

    private static final Logger LOG = Logger.getLogger(OrderStore.class);

    private final Pool pool;
    private final OrderRepository orders;
    private final FillRepository fills;
    private final PositionRepository positions;
    private final BalanceRepository balanceRepository;
    private final Balances balances;
    private final Outbox outbox;
    private final TradingMetrics metrics;
    private final Valuation valuation;
    private final ExposureLedger ledger;
    private final PositionsView positionsView;
    private final VenueHealth health;
    private final TradingGuard guard;

    public OrderStore(Pool pool, OrderRepository orders, FillRepository fills, PositionRepository positions,
                      BalanceRepository balanceRepository, Balances balances, Outbox outbox, TradingMetrics metrics, Valuation valuation,
                      ExposureLedger ledger, PositionsView positionsView, VenueHealth health, TradingGuard guard) {
        this.pool = pool;
        this.orders = orders;
        this.fills = fills;
        this.positions = positions;
        this.balanceRepository = balanceRepository;
        this.balances = balances;
        this.outbox = outbox;
        this.metrics = metrics;
        this.valuation = valuation;
        this.ledger = ledger;
        this.positionsView = positionsView;
        this.health = health;
        this.guard = guard;
    }

    /** Commits and applies the batch; fails with {@link KeyTaken} when its claim lost. */
    public Uni<Void> commit(LaneBatch b) {
        if (b.isEmpty()) {
            return Uni.createFrom().voidItem().invoke(() -> b.afterCommit.forEach(Runnable::run));
        }
        List<WorkingOrder> inserted = new ArrayList<>(b.inserted);
        List<WorkingOrder> updated = new ArrayList<>(b.updated);
        List<WorkingOrder> all = new ArrayList<>(inserted);
        all.addAll(updated);
        List<List<Transition>> transitions = all.stream().map(WorkingOrder::drainTransitions).toList();
        List<Event> events = events(b, inserted, updated);
        Map<UUID, StoredResponse> lateAnswers = new LinkedHashMap<>();
        b.lateAnswers.forEach((id, answer) -> lateAnswers.put(id, answer.get()));
        UUID marker = events.isEmpty() ? null : UUID.fromString(events.get(0).id());
        return write(b, inserted, updated, all, transitions, events, lateAnswers, marker, 1)
                .invoke(() -> {
                    guard.committed(true);
                    apply(b, all);
                })
                .onFailure(KeyTaken.class).invoke(e -> inserted.forEach(this::release))
                .onFailure(e -> !(e instanceof KeyTaken)).invoke(e -> {
                    health.databaseFailure();
                    guard.committed(false);
                    for (WorkingOrder o : all) {
                        b.state.untrack(o);
                        release(o);
                    }
                    if (e instanceof OutcomeUnknown) {
                        b.state.markStale(true);
                    }
                    LOG.errorf("Could not save a change of %d order(s) in %s (%s); they are taken back from the database by the next "
                            + "reconciliation or a repeat of their request", all.size(), b.state.id(), e.getMessage());
                    for (LaneBatch.IfLost lost : b.failClosedIfLost) {
                        String venue = b.state.id().venue();
                        LOG.errorf("In %s, %s (%s): new orders on %s are refused until this is looked into", b.state.id(), lost.why(),
                                e instanceof OutcomeUnknown ? "the commit's outcome is unknown" : "the commit failed", venue);
                        metrics.mismatch(venue, lost.kind());
                        guard.move(TradingGuard.RECONCILIATION, venue, TradingGuard.State.OPEN, lost.why());
                    }
                });
    }

    /**
     * Writes the batch in one transaction. A transaction that failed before its COMMIT was sent did not happen and is
     * tried again (up to {@value #ATTEMPTS} times). One that failed at its COMMIT may have gone through: that is learned
     * from the database (the batch's first event is in the outbox or not) before anything else, so a commit whose answer
     * was lost counts as done and nothing is ever written twice.
     */
    private Uni<Void> write(LaneBatch b, List<WorkingOrder> inserted, List<WorkingOrder> updated, List<WorkingOrder> all,
                            List<List<Transition>> transitions, List<Event> events, Map<UUID, StoredResponse> lateAnswers, UUID marker,
                            int attempt) {
        boolean[] reachedCommit = {false};
        return pool.withTransaction(tx -> claim(tx, b)
                        .flatMap(x -> orders.insert(tx, inserted, b.state.venue()::venueClientId))
                        .flatMap(x -> orders.update(tx, updated))
                        .flatMap(x -> orders.insertTransitions(tx, all, transitions))
                        .flatMap(x -> fills.insert(tx, b.fills, b.tradeIds))
                        .flatMap(x -> savePositions(tx, b))
                        .flatMap(x -> balanceRepository.add(tx, b.state.id().venue(), b.balanceDeltas, b.now))
                        .flatMap(x -> b.answer == null ? Uni.createFrom().voidItem()
                                : orders.storeResponse(tx, b.answerKey, b.answer.status(), b.answer.body()))
                        .flatMap(x -> orders.storeResponsesIfMissing(tx, lateAnswers))
                        .flatMap(x -> outbox.append(tx, events))
                        .invoke(() -> reachedCommit[0] = true))
                .onFailure(e -> !(e instanceof KeyTaken)).recoverWithUni(failure -> {
                    if (!reachedCommit[0]) {
                        return again(failure, attempt, () -> write(b, inserted, updated, all, transitions, events, lateAnswers, marker,
                                attempt + 1));
                    }
                    if (marker == null) {
                        return Uni.createFrom().failure(new OutcomeUnknown(failure));
                    }
                    return committed(marker, failure).flatMap(done -> {
                        if (done) {
                            LOG.warnf("A commit in %s reported %s but had gone through; taken as done", b.state.id(), failure.getMessage());
                            return Uni.createFrom().voidItem();
                        }
                        return again(failure, attempt, () -> write(b, inserted, updated, all, transitions, events, lateAnswers, marker,
                                attempt + 1));
                    });
                });
    }

    private static Uni<Void> again(Throwable failure, int attempt, java.util.function.Supplier<Uni<Void>> retry) {
        if (attempt >= ATTEMPTS) {
            return Uni.createFrom().failure(failure);
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100L << attempt)).flatMap(x -> retry.get());
    }

    /**
     * Whether the failed transaction committed after all. Asked again with backoff while the database is unreachable
     * (a restart takes seconds), for up to {@link #OUTCOME_DEADLINE}; the lane waits, as it cannot go on without knowing.
     */
    private Uni<Boolean> committed(UUID marker, Throwable failure) {
        long deadline = System.currentTimeMillis() + OUTCOME_DEADLINE.toMillis();
        return orders.eventCommitted(marker)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).expireIn(deadline)
                .onFailure().transform(e -> new OutcomeUnknown(failure));
    }

    /**
     * Reads the lane's positions again from the database, after a commit whose outcome stayed unknown: what the
     * database holds is the truth, and the exposure ledger and the positions view follow it.
     */
    public Uni<Void> resync(InstrumentState state) {
        InstrumentId id = state.id();
        return positions.all().invoke(saved -> {
            Map<String, PositionState> fromDb = new LinkedHashMap<>();
            for (PositionRepository.SavedPosition p : saved) {
                if (p.instrument().equals(id)) {
                    fromDb.put(p.model(), p.state());
                }
            }
            java.util.Set<String> models = new java.util.HashSet<>(fromDb.keySet());
            models.addAll(state.positions().keySet());
            for (String model : models) {
                PositionState truth = fromDb.getOrDefault(model, PositionState.FLAT);
                BigDecimal delta = truth.quantity().subtract(state.position(model).quantity());
                if (delta.signum() != 0) {
                    ledger.apply(id, model, delta, delta.signum() > 0 ? dev.tradeplane.model.Side.BUY : dev.tradeplane.model.Side.SELL,
                            BigDecimal.ZERO, 0);
                }
                state.setPosition(model, truth);
                positionsView.put(id, model, truth);
            }
            state.markStale(false);
            LOG.infof("Positions of %s read again from the database after a commit with an unknown outcome", id);
        }).replaceWithVoid();
    }

    private Uni<Void> claim(SqlConnection tx, LaneBatch b) {
        if (b.claim == null) {
            return Uni.createFrom().voidItem();
        }
        return orders.insertKey(tx, b.claim.key(), b.claim.requestHash(), b.claim.orderId(), b.now).flatMap(claimed -> claimed
                ? Uni.createFrom().voidItem() : Uni.createFrom().failure(new KeyTaken()));
    }

    private Uni<Void> savePositions(SqlConnection tx, LaneBatch b) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, PositionState> p : b.positions.entrySet()) {
            chain = chain.flatMap(x -> positions.save(tx, b.state.id(), p.getKey(), p.getValue(), b.now));
        }
        return chain;
    }

    private List<Event> events(LaneBatch b, List<WorkingOrder> inserted, List<WorkingOrder> updated) {
        List<Event> events = new ArrayList<>();
        for (WorkingOrder o : inserted) {
            events.add(outbox.event(o.status() == OrderStatus.REJECTED ? EventTypes.ORDER_REJECTED : EventTypes.ORDER_ACCEPTED, o.toWire()));
        }
        for (Fill f : b.fills) {
            events.add(outbox.event(EventTypes.ORDER_FILLED, f));
        }
        for (WorkingOrder o : updated) {
            events.add(outbox.event(o.status() == OrderStatus.REJECTED ? EventTypes.ORDER_REJECTED : EventTypes.ORDER_UPDATED, o.toWire()));
        }
        InstrumentId id = b.state.id();
        for (dev.tradeplane.model.ReconciliationReport.Mismatch m : b.mismatches) {
            events.add(outbox.event(EventTypes.RECONCILIATION_MISMATCH, m));
        }
        for (Map.Entry<String, PositionState> p : b.positions.entrySet()) {
            BigDecimal mark = valuation.mark(id).orElse(null);
            PositionState s = p.getValue();
            events.add(outbox.event(EventTypes.POSITION_CHANGED, new Position(id.toString(), id.venue(), p.getKey(), s.quantity(),
                    s.averagePrice(), s.realizedPnl(), s.fees(), mark, s.unrealizedAt(mark), b.now)));
        }
        return events;
    }

    /** Brings the exposure ledger in line with what the order now has working. */
    void syncLedger(WorkingOrder o) {
        BigDecimal open = o.isWorking() ? o.remaining() : BigDecimal.ZERO;
        boolean counted = o.isWorking();
        BigDecimal openDelta = open.subtract(o.ledgerOpen());
        int countDelta = (counted ? 1 : 0) - (o.ledgerCounted() ? 1 : 0);
        ledger.apply(o.instrument(), o.model(), BigDecimal.ZERO, o.side(), openDelta, countDelta);
        o.setLedger(open, counted);
    }

    /** Takes an order out of the exposure ledger (its reservation, when it was never committed). */
    void release(WorkingOrder o) {
        ledger.apply(o.instrument(), o.model(), BigDecimal.ZERO, o.side(), o.ledgerOpen().negate(), o.ledgerCounted() ? -1 : 0);
        o.setLedger(BigDecimal.ZERO, false);
    }

    private void apply(LaneBatch b, List<WorkingOrder> all) {
        InstrumentId id = b.state.id();
        b.positions.forEach(b.state::setPosition);
        b.positions.forEach((model, p) -> positionsView.put(id, model, p));
        for (int i = 0; i < b.fills.size(); i++) {
            Fill f = b.fills.get(i);
            BigDecimal signed = f.side() == dev.tradeplane.model.Side.BUY ? f.quantity() : f.quantity().negate();
            ledger.apply(id, f.model(), signed, f.side(), BigDecimal.ZERO, 0);
        }
        for (WorkingOrder o : all) {
            syncLedger(o);
        }
        for (WorkingOrder o : all) {
            if (o.isWorking()) {
                b.state.track(o);
            } else {
                b.state.ended(o);
            }
        }
        balances.add(id.venue(), b.balanceDeltas);
        outbox.committed();
        for (WorkingOrder o : b.sentToVenue) {
            metrics.submitted(id.venue(), o.model());
        }
        for (int i = 0; i < b.fills.size(); i++) {
            WorkingOrder o = b.fillOrders.get(i);
            metrics.fill(id.venue(), o.model(), Math.max(0, Duration.between(o.createdAt(), b.fills.get(i).executedAt()).toMillis()));
        }
        b.positions.forEach((model, p) -> metrics.realizedPnl(id.venue(), model, id.symbol(), p.realizedPnl()));
        b.mismatches.forEach(m -> metrics.mismatch(id.venue(), m.kind()));
        for (String why : b.failClosed) {
            guard.move(TradingGuard.RECONCILIATION, id.venue(), TradingGuard.State.OPEN, why);
        }
        for (WorkingOrder o : all) {
            if (o.status() == OrderStatus.FILLED && !o.outcomeCounted()) {
                o.markOutcomeCounted();
                metrics.filled(id.venue(), o.model());
            }
            if (o.status() == OrderStatus.REJECTED && o.rejectReason() != null && !o.outcomeCounted()) {
                o.markOutcomeCounted();
                metrics.rejected(id.venue(), o.model(), o.rejectReason());
            }
        }
        for (Runnable work : b.afterCommit) {
            work.run();
        }
    }
}
