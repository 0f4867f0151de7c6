package dev.tradeplane.engine.order;

import dev.tradeplane.engine.position.PositionState;
import dev.tradeplane.engine.risk.Exposure;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the engine holds in memory for one instrument: positions by model and the orders still working. Owned by
 * the instrument's lane; nothing else reads or writes it. Changes are applied only after they are committed.
 */
public final class InstrumentState {

    private final InstrumentId id;
    private final Instrument rules;
    private final Venue venue;
    private final Map<String, PositionState> positions = new HashMap<>();
    private final Map<UUID, WorkingOrder> working = new LinkedHashMap<>();
    private final Map<String, UUID> byClientId = new HashMap<>();
    /**
     * Orders whose replace the venue has answered but whose answer is not settled yet, with the fills the venue
     * reported for them meanwhile: those are applied when the answer is, against the quantity the venue now has.
     */
    private final Map<UUID, Settlement> replacing = new HashMap<>();
    /** Contingency follow-ups waiting to run on venue orders, per order, oldest first. */
    private final Map<UUID, java.util.ArrayDeque<Contingencies.FollowUp>> followUps = new HashMap<>();
    /** Orders one of whose follow-ups is running now. */
    private final java.util.Set<UUID> followingUp = new java.util.HashSet<>();
    /** Per order, the follow-up at the head of its queue that failed last, and when the sweep may try it again. */
    private final Map<UUID, Retry> retries = new HashMap<>();

    /** The first wait before a failed follow-up is tried again by the sweep, doubled while it fails the same way. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** The longest wait: a follow-up is tried at least this often, however long it has been failing. */
    static final Duration LAST_RETRY = Duration.ofSeconds(30);

    /** A follow-up that failed: how (to tell the same failure again), how many times in a row so, and when it may run again. */
    private record Retry(Contingencies.FollowUp followUp, String why, int times, Instant notBefore) {}

    /** A replace answer waiting for its settlement: the fills held for it, and whether the settlement has ended. */
    public static final class Settlement {
        final List<VenueFill> held = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        /** The settlement task ended, however: should it not have run (its lane failed first), nothing waits any more. */
        public void ended() {
            ended.set(true);
        }
    }

    public InstrumentState(InstrumentId id, Instrument rules, Venue venue) {
        this.id = id;
        this.rules = rules;
        this.venue = venue;
    }

    public InstrumentId id() {
        return id;
    }

    public Instrument rules() {
        return rules;
    }

    public Venue venue() {
        return venue;
    }

    /**
     * True after a commit whose outcome could not be learned (the database stayed unreachable): the positions held
     * here may differ from the database's, so they are read again before the lane's next task.
     */
    private volatile boolean stale;

    public boolean isStale() {
        return stale;
    }

    public void markStale(boolean value) {
        this.stale = value;
    }

    public PositionState position(String model) {
        return positions.getOrDefault(model, PositionState.FLAT);
    }

    public void setPosition(String model, PositionState position) {
        positions.put(model, position);
    }

    public Map<String, PositionState> positions() {
        return Map.copyOf(positions);
    }

    public Optional<WorkingOrder> working(UUID orderId) {
        return Optional.ofNullable(working.get(orderId));
    }

    public Optional<WorkingOrder> workingByClientId(String clientOrderId) {
        UUID id = byClientId.get(clientOrderId);
        return id == null ? Optional.empty() : Optional.ofNullable(working.get(id));
    }

    /** Working orders, oldest first. */
    public List<WorkingOrder> workingOrders() {
        return new ArrayList<>(working.values());
    }

    public void track(WorkingOrder order) {
        working.put(order.id(), order);
        byClientId.put(order.clientOrderId(), order.id());
    }

    /** The venue answered a replace of the order; its settlement is queued behind what arrived meanwhile. */
    public Settlement replaceAnswered(UUID orderId) {
        Settlement settlement = new Settlement();
        replacing.put(orderId, settlement);
        return settlement;
    }

    /**
     * True between a replace's answer and its settlement: reconciliation leaves the order to the settlement. A
     * settlement that ended without running (its lane failed) is forgotten: reconciliation settles with the venue.
     */
    public boolean replacing(UUID orderId) {
        Settlement s = replacing.get(orderId);
        if (s != null && s.ended.get()) {
            replacing.remove(orderId);
            return false;
        }
        return s != null;
    }

    /** Keeps a fill of an order whose replace is being settled for that settlement; false when none is. */
    public boolean holdForReplace(UUID orderId, VenueFill fill) {
        if (!replacing(orderId)) {
            return false;
        }
        replacing.get(orderId).held.add(fill);
        return true;
    }

    /** Ends the settlement of the order's replace: the fills held for it. */
    public List<VenueFill> replaceSettled(UUID orderId) {
        Settlement s = replacing.remove(orderId);
        return s == null ? List.of() : s.held;
    }

    /**
     * Queues a follow-up on its order. A cancel makes every shrink or growth before it moot: it replaces them (the
     * one running finishes first), and a second cancel adds nothing.
     */
    void queueFollowUp(Contingencies.FollowUp f) {
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.computeIfAbsent(f.orderId(), k -> new java.util.ArrayDeque<>());
        if (f instanceof Contingencies.CancelAtVenue) {
            if (queue.stream().anyMatch(q -> q instanceof Contingencies.CancelAtVenue)) {
                return;
            }
            Contingencies.FollowUp running = followingUp.contains(f.orderId()) ? queue.peekFirst() : null;
            queue.clear();
            if (running != null) {
                queue.add(running);
            }
        }
        queue.addLast(f);
    }

    /**
     * Claims the order's next follow-up: empty while one of its follow-ups runs, while its own cancel or replace waits
     * on the venue, while the lane does not hold the order (a commit failed and dropped it from memory; it still works
     * at the venue, and its queue waits for reconciliation to take it back), or when none is queued; an order that
     * ended drops its queue. A shrink is resolved here, against
     * the quantity the order has now, into the quantity it leaves (or a cancel when that leaves nothing open), so a
     * retry sets that quantity again instead of shrinking twice; a resize the order already has is done.
     */
    Optional<Contingencies.FollowUp> claimFollowUp(UUID orderId) {
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.get(orderId);
        WorkingOrder o = working.get(orderId);
        while (queue != null && !queue.isEmpty()) {
            if (o == null) {
                return Optional.empty();
            }
            if (!o.isWorking()) {
                followUps.remove(orderId);
                retries.remove(orderId);
                return Optional.empty();
            }
            if (followingUp.contains(orderId) || o.status() == OrderStatus.PENDING_CANCEL || o.status() == OrderStatus.PENDING_REPLACE) {
                return Optional.empty();
            }
            Contingencies.FollowUp head = queue.peekFirst();
            if (head instanceof Contingencies.ShrinkAtVenue shrink) {
                BigDecimal left = o.quantity().subtract(shrink.by());
                head = left.compareTo(o.filledQuantity()) <= 0 ? new Contingencies.CancelAtVenue(orderId, shrink.cause() + ", as much as it had left")
                        : new Contingencies.ResizeAtVenue(orderId, left, false, shrink.cause());
                queue.pollFirst();
                queue.addFirst(head);
            }
            if (head instanceof Contingencies.ResizeAtVenue resize) {
                int c = resize.quantity().compareTo(o.quantity());
                if (resize.grow() ? c <= 0 : c >= 0) {
                    queue.pollFirst(); // the order has that quantity (or more, or less) already
                    continue;
                }
                if (!resize.grow() && resize.quantity().compareTo(o.filledQuantity()) <= 0) {
                    head = new Contingencies.CancelAtVenue(orderId, resize.cause() + ", as much as it had left");
                    queue.pollFirst();
                    queue.addFirst(head);
                }
            }
            followingUp.add(orderId);
            return Optional.of(head);
        }
        followUps.remove(orderId);
        retries.remove(orderId);
        return Optional.empty();
    }

    /** The claimed follow-up ended: done (taken off the queue), or to be tried again (left at its head). */
    void followUpEnded(Contingencies.FollowUp f, boolean done) {
        followingUp.remove(f.orderId());
        if (done) {
            retries.remove(f.orderId());
        }
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.get(f.orderId());
        if (done && queue != null && queue.peekFirst() == f) {
            queue.pollFirst();
        }
    }

    /**
     * The claimed follow-up failed ({@code why} tells how) and stays at the head of its queue; the claim is released.
     * The sweep tries it again after a wait that doubles from {@link #FIRST_RETRY} up to {@link #LAST_RETRY} while it
     * keeps failing the same way (a venue that refuses is not asked every second, nor is the log written every second),
     * and starts again from the first when it fails another way. Answers the wait.
     */
    Duration followUpFailed(Contingencies.FollowUp f, String why, Instant now) {
        followingUp.remove(f.orderId());
        Retry last = retries.get(f.orderId());
        int times = last != null && last.followUp() == f && last.why().equals(why) ? last.times() + 1 : 1;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(times - 1, 5));
        if (wait.compareTo(LAST_RETRY) > 0) {
            wait = LAST_RETRY;
        }
        retries.put(f.orderId(), new Retry(f, why, times, now.plus(wait)));
        return wait;
    }

    /** Puts {@code instead} at the head of the order's queue in place of the claimed {@code f}, and releases the claim. */
    void followUpReplaced(Contingencies.FollowUp f, Contingencies.FollowUp instead) {
        followingUp.remove(f.orderId());
        retries.remove(f.orderId());
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.get(f.orderId());
        if (queue != null && queue.peekFirst() == f) {
            queue.pollFirst();
            queue.addFirst(instead);
        }
    }

    /**
     * What the order's queued follow-ups are still to take off its quantity: the shrinks an OCO partner's fills asked
     * for that have not reached the venue (one being tried counts what it leaves off the quantity the order has now).
     * Zero while a growth is queued too, as its size already allows for the shrinks before it.
     */
    BigDecimal pendingShrink(UUID orderId) {
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.get(orderId);
        WorkingOrder o = working.get(orderId);
        BigDecimal pending = BigDecimal.ZERO;
        if (queue == null || o == null) {
            return pending;
        }
        for (Contingencies.FollowUp f : queue) {
            if (f instanceof Contingencies.ShrinkAtVenue shrink) {
                pending = pending.add(shrink.by());
            } else if (f instanceof Contingencies.ResizeAtVenue resize) {
                if (resize.grow()) {
                    return BigDecimal.ZERO;
                }
                pending = pending.add(o.quantity().subtract(resize.quantity()).max(BigDecimal.ZERO));
            }
        }
        return pending;
    }

    /** True when a cancel of the order is queued as a follow-up (or running). */
    boolean cancelQueued(UUID orderId) {
        java.util.ArrayDeque<Contingencies.FollowUp> queue = followUps.get(orderId);
        return queue != null && queue.stream().anyMatch(f -> f instanceof Contingencies.CancelAtVenue);
    }

    /** Orders with follow-ups waiting, none running, and the one that failed last (still first) past its wait. */
    List<UUID> followUpsDue(Instant now) {
        List<UUID> due = new ArrayList<>();
        for (Map.Entry<UUID, java.util.ArrayDeque<Contingencies.FollowUp>> e : followUps.entrySet()) {
            if (e.getValue().isEmpty() || followingUp.contains(e.getKey())) {
                continue;
            }
            Retry retry = retries.get(e.getKey());
            if (retry == null || retry.followUp() != e.getValue().peekFirst() || !now.isBefore(retry.notBefore())) {
                due.add(e.getKey());
            }
        }
        return due;
    }

    /**
     * Takes the order out of memory (its change could not be committed: the database, which still has it working, is
     * the truth it is taken back from). Its follow-ups stay queued for it.
     */
    public void untrack(WorkingOrder order) {
        working.remove(order.id());
        byClientId.remove(order.clientOrderId());
    }

    /** The order's end is committed: it leaves memory with its follow-ups, which have nothing left to act on. */
    void ended(WorkingOrder order) {
        untrack(order);
        followUps.remove(order.id());
        retries.remove(order.id());
    }

    /**
     * Drops the follow-ups of orders the lane does not hold, once it holds every order the database has working
     * (reconciliation took back those a failed commit had dropped): those orders have ended.
     */
    void dropFollowUpsOfEnded() {
        followUps.keySet().removeIf(id -> !working.containsKey(id) && !followingUp.contains(id));
        retries.keySet().removeIf(id -> !followUps.containsKey(id));
    }

    public int workingCount() {
        return working.size();
    }

    /** True when some working order is a stop the engine watches the market for. */
    public boolean hasEngineStops() {
        for (WorkingOrder o : working.values()) {
            if (o.heldByEngine() && o.type().isStop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Net position of all models, and what working orders may still add on each side, leaving out {@code except}.
     * Held bracket children count at their intended size; of two OCO legs only the larger counts, as only one can
     * trade.
     */
    public Exposure exposure(UUID except) {
        BigDecimal net = BigDecimal.ZERO;
        for (PositionState p : positions.values()) {
            net = net.add(p.quantity());
        }
        BigDecimal buys = BigDecimal.ZERO;
        BigDecimal sells = BigDecimal.ZERO;
        for (WorkingOrder o : working.values()) {
            if (o.id().equals(except) || smallerOcoLeg(o)) {
                continue;
            }
            if (o.side() == Side.BUY) {
                buys = buys.add(o.remaining());
            } else {
                sells = sells.add(o.remaining());
            }
        }
        return new Exposure(net, buys, sells);
    }

    private boolean smallerOcoLeg(WorkingOrder o) {
        WorkingOrder partner = o.ocoPartnerId() == null ? null : working.get(o.ocoPartnerId());
        if (partner == null || partner.side() != o.side()) {
            return false;
        }
        int c = o.remaining().compareTo(partner.remaining());
        return c < 0 || c == 0 && o.id().compareTo(partner.id()) > 0;
    }
}
