package dev.tradeplane.engine.order;

import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.ReconciliationReport;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The rules that tie contingent orders together, applied in the lane after each change of an order:
 * <ul>
 *   <li>OCO: when a leg fills completely, triggers, or ends (canceled, expired, rejected), its partner is canceled; a
 *       partial fill of a leg shrinks its partner by the same quantity (a partner the venue fills beyond that before
 *       the shrink reaches it fails closed, see {@link #overtraded}).</li>
 *   <li>Bracket: each fill of the entry arms its stop-loss and take-profit (held until then) or grows them, so each is
 *       always sized to the position it closes: what the entry filled less what the other child (its OCO partner) has
 *       filled; an entry that ends with nothing filled cancels them.</li>
 * </ul>
 * Changes to orders the engine holds are made at once, in the same batch; changes to orders working at the venue
 * become follow-ups (cancel, shrink, grow, send) that run as lane tasks once the batch is committed. A follow-up is
 * never dropped because its order is busy: it waits in the order's queue ({@link InstrumentState#queueFollowUp}) until
 * the order's own cancel or replace is settled, and is tried again until it is done or the order has ended. A trade
 * reported after its order ended has the effects it can still have ({@link #onLateFill}).
 */
final class Contingencies {

    private static final Logger LOG = Logger.getLogger(Contingencies.class);

    /** Work on a venue-side order that the rules decided, to run after the batch commits. */
    sealed interface FollowUp {
        UUID orderId();
    }

    record CancelAtVenue(UUID orderId, String cause) implements FollowUp {}

    /**
     * Takes {@code by} off the order's quantity, as it is when the follow-up runs (after any replace of it settled);
     * ends it when that leaves nothing open.
     */
    record ShrinkAtVenue(UUID orderId, BigDecimal by, String cause) implements FollowUp {}

    /**
     * Sets the order's quantity: {@code grow} only raises it to {@code quantity} (a bracket child following its entry's
     * fills), otherwise only lowers it (a shrink, resolved to the quantity it leaves so that a retry cannot take it
     * off twice).
     */
    record ResizeAtVenue(UUID orderId, BigDecimal quantity, boolean grow, String cause) implements FollowUp {}

    record SendToVenue(UUID orderId) implements FollowUp {}

    /** Where the rules put their follow-ups, how they arm a stop, and what reaches the venue for an order ended here. */
    interface Effects {
        void followUp(LaneBatch batch, FollowUp followUp);

        void armStop(LaneBatch batch, WorkingOrder order);

        /**
         * {@code order} was ended in the engine while the venue may still take up its unanswered submit, until
         * {@code until}: it is canceled at the venue too once the batch is committed.
         */
        void endedInDoubt(LaneBatch batch, WorkingOrder order, Instant until);
    }

    private final Effects effects;

    Contingencies(Effects effects) {
        this.effects = effects;
    }

    void onFill(LaneBatch b, WorkingOrder order, BigDecimal quantity) {
        if (order.ocoPartnerId() != null) {
            overtraded(b, order);
        }
        WorkingOrder partner = partner(b, order);
        if (partner != null) {
            if (order.status() == OrderStatus.FILLED) {
                end(b, partner, "its OCO partner " + order.id() + " filled");
            } else {
                shrink(b, partner, quantity);
            }
        }
        for (UUID childId : order.children()) {
            b.state().working(childId).ifPresent(child -> armOrGrow(b, child, order.filledQuantity(), java.util.Map.of()));
        }
    }

    void onTriggered(LaneBatch b, WorkingOrder order) {
        WorkingOrder partner = partner(b, order);
        if (partner != null) {
            end(b, partner, "its OCO partner " + order.id() + " triggered");
        }
    }

    /** The order ended without filling completely: canceled, expired or rejected. */
    void onEnded(LaneBatch b, WorkingOrder order) {
        WorkingOrder partner = partner(b, order);
        if (partner != null) {
            end(b, partner, "its OCO partner " + order.id() + " ended " + order.status());
        }
        endChildrenIfUnfilled(b, order);
    }

    /**
     * An OCO leg the venue filled beyond what its partner's fills left it, before their shrink reached the venue: both
     * legs have traded more than one-cancels-the-other allows, and the shrink still queued is dropped with the leg's
     * end, so nothing else would tell. It fails closed as for a late trade that cannot be protected: an
     * {@code unprotected_fill} mismatch with the fill, and the venue's {@code reconciliation} breaker.
     */
    private static void overtraded(LaneBatch b, WorkingOrder leg) {
        BigDecimal unshrunk = b.state().pendingShrink(leg.id());
        BigDecimal allowed = leg.quantity().subtract(unshrunk);
        if (unshrunk.signum() == 0 || leg.filledQuantity().compareTo(allowed) <= 0) {
            return;
        }
        String detail = "filled " + leg.filledQuantity().toPlainString() + " at the venue before its OCO partner's fills shrank it to "
                + allowed.toPlainString() + ": both legs traded beyond the OCO's quantity; new orders on " + leg.instrument().venue()
                + " are refused until this is looked into";
        LOG.errorf("Order %s: %s", leg.id(), detail);
        b.mismatch(new ReconciliationReport.Mismatch("unprotected_fill", leg.instrument().toString(),
                leg.id().toString(), leg.clientOrderId(), detail));
        b.failClosed("OCO leg " + leg.clientOrderId() + " overtraded before its shrink");
    }

    private void endChildrenIfUnfilled(LaneBatch b, WorkingOrder order) {
        if (order.filledQuantity().signum() == 0) {
            for (UUID childId : order.children()) {
                b.state().working(childId).ifPresent(child -> end(b, child, "its entry " + order.id() + " ended with nothing filled"));
            }
        }
    }

    private static WorkingOrder partner(LaneBatch b, WorkingOrder order) {
        if (order.ocoPartnerId() == null) {
            return null;
        }
        WorkingOrder partner = b.state().working(order.ocoPartnerId()).orElse(null);
        return partner != null && partner.isWorking() ? partner : null;
    }

    /**
     * Cancels an order because of another one: at once if the engine holds it, through the venue otherwise. Its own
     * OCO partner is the order that caused this, so only its children follow.
     */
    void end(LaneBatch b, WorkingOrder target, String cause) {
        if (!target.isWorking()) {
            return;
        }
        if (notAtVenue(target)) {
            endInEngine(b, target, Trigger.CANCEL, cause);
            endChildrenIfUnfilled(b, target);
        } else {
            effects.followUp(b, new CancelAtVenue(target.id(), cause));
        }
    }

    private void shrink(LaneBatch b, WorkingOrder target, BigDecimal by) {
        if (!notAtVenue(target)) {
            // Sized when it runs: a replace of the order may be on its way, and its quantity is known once settled.
            effects.followUp(b, new ShrinkAtVenue(target.id(), by, "its OCO partner filled " + by.toPlainString()));
            return;
        }
        BigDecimal quantity = target.quantity().subtract(by);
        if (quantity.compareTo(target.filledQuantity()) <= 0) {
            end(b, target, "its OCO partner filled as much as it had left");
        } else {
            target.resize(quantity);
            b.touch(target);
        }
    }

    /**
     * Arms a held bracket child, or grows a working one, to the position it closes: what its entry filled less what its
     * OCO partner (the other child) has filled. The partner's fills shrank the child already (see {@link #shrink}), so
     * sizing it to all the entry filled would make it larger than the position, and a stop-loss that then triggers
     * would turn the position over instead of closing it. The partner is taken as the lane has it (in this batch
     * too), else from {@code ended} (linked orders that ended before the batch, as the database has them). False, and
     * nothing done, when the partner's fills cannot be known: it ended out of sight, and its end cancels this child
     * (one-cancels-the-other), which then protects nothing; or a failed commit dropped it from memory, and a child
     * left smaller until reconciliation takes it back is safer than one larger than the position.
     */
    private boolean armOrGrow(LaneBatch b, WorkingOrder child, BigDecimal entryFilled, java.util.Map<UUID, WorkingOrder> ended) {
        BigDecimal partnerFilled = BigDecimal.ZERO;
        if (child.ocoPartnerId() != null) {
            WorkingOrder partner = b.state().working(child.ocoPartnerId()).orElse(ended.get(child.ocoPartnerId()));
            if (partner == null) {
                return false;
            }
            partnerFilled = partner.filledQuantity();
        }
        BigDecimal size = entryFilled.subtract(partnerFilled);
        String cause = "its entry filled " + entryFilled.toPlainString()
                + (partnerFilled.signum() == 0 ? "" : ", its OCO partner " + partnerFilled.toPlainString());
        if (child.status() == OrderStatus.HELD) {
            child.resize(size);
            child.apply(Trigger.ARM, cause, b.now());
            b.touch(child);
            if (child.type().isStop()) {
                effects.armStop(b, child);
            } else {
                effects.followUp(b, new SendToVenue(child.id()));
            }
        } else if (child.quantity().compareTo(size) < 0) {
            if (notAtVenue(child)) {
                child.resize(size);
                b.touch(child);
            } else {
                effects.followUp(b, new ResizeAtVenue(child.id(), size, true, cause));
            }
        }
        return true;
    }

    /**
     * A trade the venue reported after {@code order} ended, booked to it late ({@code quantity} of it): what the fill
     * would have done, where it still can. An OCO partner still working is shrunk by as much (canceled, when the order
     * has now filled completely); the children of a bracket entry still working are armed or grown to what the entry
     * filled less what their OCO partner filled ({@link #armOrGrow}). Answers why the trade is left as it should not be,
     * or null: the entry's children have all ended, or are on their way out with a partner that ended (nothing protects
     * what it traded), or the OCO partner ended having filled more than the trade leaves it (both legs
     * traded, beyond what one-cancels-the-other allows). A partner that ended with less filled needs nothing: it would
     * only have been shrunk. {@code ended} holds the linked orders that ended before this batch, as the database has
     * them (those that end in it, the lane still holds).
     */
    String onLateFill(LaneBatch b, WorkingOrder order, BigDecimal quantity, java.util.Map<UUID, WorkingOrder> ended) {
        java.util.List<String> unprotected = new java.util.ArrayList<>();
        if (order.ocoPartnerId() != null) {
            WorkingOrder partner = partner(b, order);
            WorkingOrder gone = b.state().working(order.ocoPartnerId()).filter(p -> !p.isWorking()).orElse(ended.get(order.ocoPartnerId()));
            if (partner != null) {
                if (order.filledQuantity().compareTo(order.quantity()) >= 0) {
                    end(b, partner, "its OCO partner " + order.id() + " filled (reported late)");
                } else {
                    shrink(b, partner, quantity);
                }
            } else if (gone != null && gone.filledQuantity().add(quantity).compareTo(gone.quantity()) > 0) {
                unprotected.add("its OCO partner " + gone.id() + " ended " + gone.status() + " with " + gone.filledQuantity().toPlainString()
                        + " of " + gone.quantity().toPlainString() + " filled: both legs traded");
            }
        }
        if (!order.children().isEmpty()) {
            boolean followed = false;
            for (UUID childId : order.children()) {
                WorkingOrder child = b.state().working(childId).filter(WorkingOrder::isWorking).orElse(null);
                if (child != null && armOrGrow(b, child, order.filledQuantity(), ended)) {
                    followed = true;
                }
            }
            if (!followed) {
                unprotected.add("its stop-loss and take-profit have ended (or are canceled with their partner): nothing protects the "
                        + "position it made");
            }
        }
        return unprotected.isEmpty() ? null : String.join("; ", unprotected);
    }

    /**
     * An OCO leg whose partner is no longer working (found at reconciliation, e.g. after a restart cut off the
     * partner's follow-up): it is canceled, as the partner's end would have done. True when it was.
     */
    boolean orphanedLeg(LaneBatch b, WorkingOrder leg) {
        if (leg.ocoPartnerId() == null || !leg.isWorking() || leg.status() == OrderStatus.PENDING_CANCEL || b.state().cancelQueued(leg.id())) {
            return false;
        }
        boolean partnerWorking = b.state().working(leg.ocoPartnerId()).map(WorkingOrder::isWorking).orElse(false);
        if (partnerWorking) {
            return false;
        }
        end(b, leg, "its OCO partner " + leg.ocoPartnerId() + " is no longer working");
        return true;
    }

    /**
     * Ends at once an order the venue does not hold ({@link #notAtVenue}); the engine's own ends of one (a cancel, an
     * expiry, a contingency) go through here, its partner and children left to the caller. One whose submit went
     * unanswered is not known to be absent from the venue: the venue may still take it up until its late-action window
     * has passed, and it would then work and trade there unseen (an OCO leg beside its filled partner) until a
     * reconciliation found it. It is canceled at the venue too ({@link Effects#endedInDoubt}).
     */
    void endInEngine(LaneBatch b, WorkingOrder order, Trigger end, String cause) {
        Instant inDoubtUntil = order.status() == OrderStatus.NEW ? order.unsureAtVenueUntil() : null;
        order.apply(end, cause, b.now());
        b.touch(order);
        if (inDoubtUntil != null) {
            effects.endedInDoubt(b, order, inDoubtUntil);
        }
    }

    /** Held by the engine (a held child, an untriggered stop), or armed but not yet sent (or its submit unanswered). */
    static boolean notAtVenue(WorkingOrder order) {
        return order.heldByEngine() || order.venueOrderId() == null;
    }
}
