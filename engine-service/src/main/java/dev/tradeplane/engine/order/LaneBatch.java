package dev.tradeplane.engine.order;

import dev.tradeplane.engine.position.PositionState;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.Fill;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What one lane task changed, to be committed in one transaction: new and changed orders, fills with the positions
 * and balances they move, an idempotency key to claim or answer, and work to do once it is committed. Nothing here
 * touches the lane's state; {@link OrderStore} applies it after the commit.
 */
public final class LaneBatch {

    /** An idempotency key the batch claims (with the first order it created). */
    record Claim(String key, String requestHash, UUID orderId) {}

    final InstrumentState state;
    final Instant now;
    final Set<WorkingOrder> inserted = new LinkedHashSet<>();
    final Set<WorkingOrder> updated = new LinkedHashSet<>();
    final List<Fill> fills = new ArrayList<>();
    final List<String> tradeIds = new ArrayList<>();
    final List<WorkingOrder> fillOrders = new ArrayList<>();
    final Map<String, PositionState> positions = new LinkedHashMap<>();
    final Map<String, BigDecimal> balanceDeltas = new LinkedHashMap<>();
    final List<Runnable> afterCommit = new ArrayList<>();
    final List<WorkingOrder> sentToVenue = new ArrayList<>();
    final Map<UUID, Supplier<StoredResponse>> lateAnswers = new LinkedHashMap<>();
    /** Differences with the venue found outside a reconciliation, published with the batch. */
    final List<dev.tradeplane.model.ReconciliationReport.Mismatch> mismatches = new ArrayList<>();
    /** Why the venue's state cannot be trusted any more: new orders on it are refused once the batch is committed. */
    final List<String> failClosed = new ArrayList<>();
    /** Why the venue's state cannot be trusted should this batch not be known committed (see {@link #failClosedIfLost}). */
    final List<IfLost> failClosedIfLost = new ArrayList<>();

    /** What would be lost with the batch: the reconciliation mismatch kind it counts as, and why. */
    record IfLost(String kind, String why) {}
    Claim claim;
    String answerKey;
    StoredResponse answer;

    LaneBatch(InstrumentState state, Instant now) {
        this.state = state;
        this.now = now;
    }

    public Instant now() {
        return now;
    }

    public InstrumentState state() {
        return state;
    }

    void insert(WorkingOrder order) {
        inserted.add(order);
    }

    /** Marks an order changed (a new order stays an insert). */
    void touch(WorkingOrder order) {
        if (!inserted.contains(order)) {
            updated.add(order);
        }
    }

    /**
     * Notes a cancel asked for of the order, saved with this batch: before the cancel reaches the venue, so whatever
     * ends the order later (the cancel's answer, reconciliation after a restart) knows someone asked for its end.
     */
    void cancelRequested(WorkingOrder order) {
        if (order.cancelRequested(now)) {
            touch(order);
        }
    }

    /** Applies a venue fill to the order and books it: the fill, the model's position, the balances. */
    void fill(WorkingOrder order, VenueFill f) {
        order.fill(f);
        book(order, f);
    }

    /** Books a trade reported after the order ended (see {@link WorkingOrder#lateFill}). */
    void lateFill(WorkingOrder order, VenueFill f) {
        order.lateFill(f);
        book(order, f);
    }

    /** A difference with the venue, published as a {@code reconciliation.mismatch} event in the batch's transaction. */
    void mismatch(dev.tradeplane.model.ReconciliationReport.Mismatch m) {
        mismatches.add(m);
    }

    /** The venue's state cannot be trusted: once committed, its {@code reconciliation} breaker opens. */
    void failClosed(String why) {
        failClosed.add(why);
    }

    /**
     * The venue's state cannot be trusted unless this batch is known committed: it holds what nothing will bring again
     * (a late trade, whose report does not come twice) or work that runs only after a commit known to have happened.
     * If its commit fails, or its outcome cannot be learned, the venue's {@code reconciliation} breaker opens in
     * memory, which needs no database, and one {@code kind} mismatch is counted.
     */
    void failClosedIfLost(String kind, String why) {
        failClosedIfLost.add(new IfLost(kind, why));
    }

    private void book(WorkingOrder order, VenueFill f) {
        touch(order);
        InstrumentId id = order.instrument();
        Instrument rules = state.rules();
        positions.put(order.model(), position(order.model()).apply(order.side(), f.quantity(), f.price(), f.fee()));
        fills.add(new Fill(UUID.randomUUID().toString(), order.id().toString(), id.toString(), id.venue(), order.side(), f.quantity(),
                f.price(), f.fee(), f.feeAsset(), f.liquidity(), order.model(), f.time()));
        tradeIds.add(f.tradeId());
        fillOrders.add(order);
        BigDecimal signed = order.side() == Side.BUY ? f.quantity() : f.quantity().negate();
        balanceDeltas.merge(rules.baseAsset(), signed, BigDecimal::add);
        balanceDeltas.merge(rules.quoteAsset(), signed.multiply(f.price()).negate(), BigDecimal::add);
        balanceDeltas.merge(f.feeAsset(), f.fee().negate(), BigDecimal::add);
    }

    /** The model's position as this batch leaves it. */
    PositionState position(String model) {
        PositionState p = positions.get(model);
        return p != null ? p : state.position(model);
    }

    void claim(String key, String requestHash, UUID orderId) {
        this.claim = new Claim(key, requestHash, orderId);
    }

    void answer(String key, StoredResponse response) {
        this.answerKey = key;
        this.answer = response;
    }

    /**
     * Gives the idempotency key of the order (the key whose first order it is) an answer in this batch's transaction,
     * unless the key already has one. The answer is computed, in the lane, when the batch is committed: it then
     * describes the order as this batch leaves it.
     */
    void answerIfMissing(UUID orderId, Supplier<StoredResponse> answer) {
        lateAnswers.put(orderId, answer);
    }

    /** Runs once the batch is committed and applied, in the lane. */
    void afterCommit(Runnable work) {
        afterCommit.add(work);
    }

    boolean isEmpty() {
        return inserted.isEmpty() && updated.isEmpty() && claim == null && answer == null && lateAnswers.isEmpty() && mismatches.isEmpty()
                && failClosed.isEmpty();
    }
}
