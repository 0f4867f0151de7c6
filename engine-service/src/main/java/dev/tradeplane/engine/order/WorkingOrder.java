package dev.tradeplane.engine.order;

import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.ContingencyType;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Order;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An order as its lane holds it. Mutable, and only ever touched by the lane of its instrument. Every change of
 * status goes through {@link OrderLifecycle}; transitions not yet persisted are kept until {@link #drainTransitions()}.
 */
public final class WorkingOrder {

    private static final int PRICE_SCALE = 18;

    /** The mutable part of an order as it was saved, to restore it after a restart. */
    public record Saved(OrderStatus status, BigDecimal quantity, BigDecimal price, BigDecimal stopPrice, BigDecimal filledQuantity,
                        BigDecimal averagePrice, BigDecimal fees, RejectReason rejectReason, String rejectDetail, String venueOrderId,
                        BigDecimal triggerPrice, BigDecimal trailReference, Instant triggeredAt, UUID ocoPartnerId, List<UUID> children,
                        Instant cancelRequestedAt, Instant updatedAt, int transitions) {}

    private final OrderSpec spec;
    private BigDecimal quantity;
    private BigDecimal price;
    private BigDecimal stopPrice;
    private OrderStatus status;
    private BigDecimal filledQuantity = BigDecimal.ZERO;
    private BigDecimal averagePrice;
    private BigDecimal fees = BigDecimal.ZERO;
    private RejectReason rejectReason;
    private String rejectDetail;
    private String venueOrderId;
    private BigDecimal triggerPrice;
    private BigDecimal trailReference;
    private Instant triggeredAt;
    private UUID ocoPartnerId;
    private final List<UUID> children = new ArrayList<>();
    /** When a cancel of the order was first asked for; null if never (see {@link #cancelRequested}). */
    private Instant cancelRequestedAt;
    private Instant updatedAt;
    private int transitionCount;
    private final List<Transition> unsaved = new ArrayList<>();
    private boolean outcomeCounted;
    private BigDecimal ledgerOpen = BigDecimal.ZERO;
    private boolean ledgerCounted;
    /** Until when the venue may still act on a submit whose answer was lost (in memory only); null: not in doubt. */
    private Instant unsureAtVenueUntil;
    /** When the venue first said it does not know this working order (in memory only). */
    private Instant missingSince;
    /**
     * Until when the venue may still act on a replace of the order whose answer was lost (in memory only: an order read
     * back from the database gets a conservative one, see {@code OrderService.takeBack}); null: not in doubt.
     */
    private Instant replaceUnsureUntil;
    /** The last cancel or replace of the order failed with its outcome unknown, and nothing was sent since. */
    private boolean requestUnanswered;

    /** A new order, in status NEW (or HELD for a bracket child). */
    public WorkingOrder(OrderSpec spec, BigDecimal quantity, BigDecimal price, BigDecimal stopPrice, boolean held) {
        this.spec = spec;
        this.quantity = quantity;
        this.price = price;
        this.stopPrice = stopPrice;
        this.triggerPrice = stopPrice;
        this.status = held ? OrderStatus.HELD : OrderStatus.NEW;
        this.updatedAt = spec.createdAt();
        record(null, status, held ? "held until its entry fills" : "received", spec.createdAt());
    }

    private WorkingOrder(OrderSpec spec, Saved saved) {
        this.spec = spec;
        this.quantity = saved.quantity();
        this.price = saved.price();
        this.stopPrice = saved.stopPrice();
        this.status = saved.status();
        this.filledQuantity = saved.filledQuantity();
        this.averagePrice = saved.averagePrice();
        this.fees = saved.fees();
        this.rejectReason = saved.rejectReason();
        this.rejectDetail = saved.rejectDetail();
        this.venueOrderId = saved.venueOrderId();
        this.triggerPrice = saved.triggerPrice();
        this.trailReference = saved.trailReference();
        this.triggeredAt = saved.triggeredAt();
        this.ocoPartnerId = saved.ocoPartnerId();
        this.children.addAll(saved.children());
        this.cancelRequestedAt = saved.cancelRequestedAt();
        this.updatedAt = saved.updatedAt();
        this.transitionCount = saved.transitions();
    }

    /** An order reloaded from the database, in the state it was saved in. */
    public static WorkingOrder restore(OrderSpec spec, Saved saved) {
        return new WorkingOrder(spec, saved);
    }

    /** Moves the order by {@code trigger}; throws {@link IllegalTransitionException} and changes nothing if not allowed. */
    public void apply(Trigger trigger, String cause, Instant at) {
        OrderStatus next = OrderLifecycle.next(status, trigger);
        OrderStatus before = status;
        if (next != before) {
            requestUnanswered = false;
            missingSince = null;
            replaceUnsureUntil = null;
        }
        status = next;
        updatedAt = at;
        record(before, next, cause, at);
    }

    public void reject(RejectReason reason, String detail, Instant at) {
        apply(Trigger.REJECT, reason.name(), at);
        this.rejectReason = reason;
        this.rejectDetail = detail;
    }

    /** Back to working after a pending cancel or replace, open or partially filled by what has filled. */
    public void restore(String cause, Instant at) {
        apply(filledQuantity.signum() == 0 ? Trigger.RESTORE_OPEN : Trigger.RESTORE_PARTIAL, cause, at);
    }

    /** Adds a fill; partial or full is decided by the quantities. An overfill is refused and changes nothing. */
    public void fill(VenueFill fill) {
        BigDecimal after = filledQuantity.add(fill.quantity());
        if (fill.quantity().signum() <= 0 || after.compareTo(quantity) > 0) {
            throw new IllegalStateException("fill of " + fill.quantity().toPlainString() + " does not fit order " + spec.id()
                    + " with " + remaining().toPlainString() + " left");
        }
        Trigger trigger = after.compareTo(quantity) == 0 ? Trigger.FILL_FULL : Trigger.FILL_PARTIAL;
        OrderLifecycle.next(status, trigger);
        BigDecimal notional = averagePrice == null ? BigDecimal.ZERO : averagePrice.multiply(filledQuantity);
        averagePrice = notional.add(fill.price().multiply(fill.quantity()))
                .divide(after, PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        filledQuantity = after;
        fees = fees.add(fill.fee());
        apply(trigger, "fill " + fill.tradeId(), fill.time());
    }

    /** Whether a trade reported after the order ended can be booked to it: canceled or expired, and it fits. */
    public boolean takesLateFill(VenueFill fill) {
        return OrderLifecycle.allows(status, Trigger.LATE_FILL) && fill.quantity().signum() > 0
                && filledQuantity.add(fill.quantity()).compareTo(quantity) <= 0;
    }

    /**
     * Books a trade the venue made before the order ended there, reported after the engine had ended it: the filled
     * quantity, average price and fees move, the status stays (see {@link #takesLateFill}); refused otherwise.
     */
    public void lateFill(VenueFill fill) {
        if (!takesLateFill(fill)) {
            throw new IllegalStateException("late fill of " + fill.quantity().toPlainString() + " cannot be booked to " + status + " order "
                    + spec.id() + " with " + remaining().toPlainString() + " left");
        }
        BigDecimal after = filledQuantity.add(fill.quantity());
        BigDecimal notional = averagePrice == null ? BigDecimal.ZERO : averagePrice.multiply(filledQuantity);
        averagePrice = notional.add(fill.price().multiply(fill.quantity())).divide(after, PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        filledQuantity = after;
        fees = fees.add(fill.fee());
        apply(Trigger.LATE_FILL, "late fill " + fill.tradeId() + ", reported after the order ended", fill.time());
    }

    /** Sets a new total quantity (a replace, or a contingency resizing the order); never below what has filled. */
    public void resize(BigDecimal newQuantity) {
        if (newQuantity.compareTo(filledQuantity) < 0) {
            throw new IllegalArgumentException("quantity " + newQuantity.toPlainString() + " is below the filled " + filledQuantity.toPlainString());
        }
        quantity = newQuantity;
    }

    public void reprice(BigDecimal newPrice, BigDecimal newStopPrice) {
        if (newPrice != null) {
            price = newPrice;
        }
        if (newStopPrice != null) {
            stopPrice = newStopPrice;
            if (spec.type() != OrderType.TRAILING_STOP) {
                triggerPrice = newStopPrice;
            }
        }
    }

    /** A stop reached its trigger: from now on it works at the venue as {@link #venueType()}. */
    public void triggered(Instant at) {
        triggeredAt = at;
        if (spec.type() == OrderType.TRAILING_STOP && spec.limitOffset() != null) {
            price = spec.side() == Side.BUY ? triggerPrice.add(spec.limitOffset()) : triggerPrice.subtract(spec.limitOffset());
        }
        apply(Trigger.TRIGGER, "triggered at " + triggerPrice.toPlainString(), at);
    }

    /** Moves a trailing stop's reference (best price since arming) and trigger price. */
    public void trail(BigDecimal reference, BigDecimal trigger) {
        trailReference = reference;
        triggerPrice = trigger;
    }

    /**
     * Notes that a cancel of the order was asked for, at {@code at}: the latest request's time, kept whatever the venue
     * made of it. A cancel and a re-price can both end an order from PENDING_REPLACE (its replace not answered); this
     * is what tells an end someone asked for from one the re-price cost (with a refused cancel's restore after it, the
     * request no longer stands: see {@link OrderRepository#endedByReplaceOnly}). False if noted at that time already.
     */
    boolean cancelRequested(Instant at) {
        if (at.equals(cancelRequestedAt)) {
            return false;
        }
        cancelRequestedAt = at;
        updatedAt = at;
        return true;
    }

    public void setVenueOrderId(String venueOrderId) {
        this.venueOrderId = venueOrderId;
    }

    public void linkOcoPartner(UUID partner) {
        this.ocoPartnerId = partner;
    }

    public void addChild(UUID child) {
        children.add(child);
    }

    /** The open quantity this order has in the exposure ledger. */
    BigDecimal ledgerOpen() {
        return ledgerOpen;
    }

    /** Whether this order is counted as a working order in the exposure ledger. */
    boolean ledgerCounted() {
        return ledgerCounted;
    }

    void setLedger(BigDecimal open, boolean counted) {
        this.ledgerOpen = open;
        this.ledgerCounted = counted;
    }

    /** Until when the venue may still act on the order's submit, whose answer was lost; null when not in doubt. */
    Instant unsureAtVenueUntil() {
        return unsureAtVenueUntil;
    }

    void unsureAtVenueUntil(Instant until) {
        this.unsureAtVenueUntil = until;
    }

    /** When the venue first said it does not know this working order; null when it has not. */
    Instant missingSince() {
        return missingSince;
    }

    void missingSince(Instant since) {
        this.missingSince = since;
    }

    /**
     * Until when the venue may still act on the order's replace, whose answer was lost; null when no replace is in
     * doubt. Cleared when the order leaves PENDING_REPLACE.
     */
    Instant replaceUnsureUntil() {
        return replaceUnsureUntil;
    }

    void replaceUnsureUntil(Instant until) {
        this.replaceUnsureUntil = until;
    }

    /** True while the order's last cancel or replace failed with its outcome unknown and nothing was sent since. */
    boolean requestUnanswered() {
        return requestUnanswered;
    }

    void requestUnanswered(boolean value) {
        this.requestUnanswered = value;
    }

    /** Whether the order's final outcome (filled, rejected) was counted in the metrics already. */
    boolean outcomeCounted() {
        return outcomeCounted;
    }

    void markOutcomeCounted() {
        outcomeCounted = true;
    }

    /** Transitions made since the last call, to persist; clears them. */
    public List<Transition> drainTransitions() {
        List<Transition> out = List.copyOf(unsaved);
        unsaved.clear();
        return out;
    }

    private void record(OrderStatus from, OrderStatus to, String cause, Instant at) {
        unsaved.add(new Transition(++transitionCount, from, to, cause, at));
    }

    public BigDecimal remaining() {
        return quantity.subtract(filledQuantity);
    }

    public boolean isWorking() {
        return !status.isFinal();
    }

    /** True while the engine, not the venue, holds the order: a bracket child not armed, or a stop not triggered. */
    public boolean heldByEngine() {
        return status == OrderStatus.HELD || spec.type().isStop() && triggeredAt == null && !status.isFinal();
    }

    /** What the venue is sent: stops become MARKET, or LIMIT when they carry a limit price. */
    public OrderType venueType() {
        return switch (spec.type()) {
            case MARKET, STOP_MARKET -> OrderType.MARKET;
            case LIMIT, STOP_LIMIT -> OrderType.LIMIT;
            case TRAILING_STOP -> spec.limitOffset() == null ? OrderType.MARKET : OrderType.LIMIT;
        };
    }

    /** The time in force at the venue: market orders are IOC (or FOK). */
    public TimeInForce venueTimeInForce() {
        if (venueType() == OrderType.MARKET) {
            return spec.timeInForce() == TimeInForce.FOK ? TimeInForce.FOK : TimeInForce.IOC;
        }
        return spec.timeInForce();
    }

    public Order toWire() {
        return new Order(spec.id().toString(), spec.clientOrderId(), spec.instrument().toString(), spec.instrument().venue(), spec.side(),
                spec.type(), spec.timeInForce(), quantity, price, stopPrice, spec.trailingOffset(), spec.trailingOffsetBps(),
                spec.limitOffset(), spec.type().isStop() ? triggerPrice : null, triggeredAt, spec.postOnly() ? Boolean.TRUE : null,
                spec.expireAt(), filledQuantity, averagePrice, fees, status, rejectReason, rejectDetail, spec.model(), spec.contingency(),
                spec.parentId() == null ? null : spec.parentId().toString(),
                children.isEmpty() ? null : children.stream().map(UUID::toString).toList(),
                ocoPartnerId == null ? null : ocoPartnerId.toString(), null, cancelRequestedAt, spec.createdAt(), updatedAt);
    }

    public OrderSpec spec() {
        return spec;
    }

    public UUID id() {
        return spec.id();
    }

    public String clientOrderId() {
        return spec.clientOrderId();
    }

    public InstrumentId instrument() {
        return spec.instrument();
    }

    public Side side() {
        return spec.side();
    }

    public OrderType type() {
        return spec.type();
    }

    public TimeInForce timeInForce() {
        return spec.timeInForce();
    }

    public BigDecimal quantity() {
        return quantity;
    }

    public BigDecimal price() {
        return price;
    }

    public BigDecimal stopPrice() {
        return stopPrice;
    }

    public String model() {
        return spec.model();
    }

    public Instant createdAt() {
        return spec.createdAt();
    }

    public OrderStatus status() {
        return status;
    }

    public BigDecimal filledQuantity() {
        return filledQuantity;
    }

    public BigDecimal averagePrice() {
        return averagePrice;
    }

    public BigDecimal fees() {
        return fees;
    }

    public RejectReason rejectReason() {
        return rejectReason;
    }

    public String rejectDetail() {
        return rejectDetail;
    }

    public String venueOrderId() {
        return venueOrderId;
    }

    public BigDecimal triggerPrice() {
        return triggerPrice;
    }

    public BigDecimal trailReference() {
        return trailReference;
    }

    public Instant triggeredAt() {
        return triggeredAt;
    }

    public UUID ocoPartnerId() {
        return ocoPartnerId;
    }

    public List<UUID> children() {
        return List.copyOf(children);
    }

    public Instant cancelRequestedAt() {
        return cancelRequestedAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
