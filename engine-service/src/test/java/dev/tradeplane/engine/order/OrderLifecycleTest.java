package dev.tradeplane.engine.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void finalStatusesHaveNoWayOut() {
        for (OrderStatus status : OrderStatus.values()) {
            if (status.isFinal()) {
                for (Trigger trigger : Trigger.values()) {
                    if (trigger == Trigger.LATE_FILL && (status == OrderStatus.CANCELED || status == OrderStatus.EXPIRED)) {
                        assertEquals(status, OrderLifecycle.next(status, trigger), "a late fill stays in " + status);
                        continue;
                    }
                    assertFalse(OrderLifecycle.allows(status, trigger), status + " must not allow " + trigger);
                    assertThrows(IllegalTransitionException.class, () -> OrderLifecycle.next(status, trigger));
                }
            }
        }
    }

    @Test
    void aLateFillIsBookedToACanceledOrderItFitsAndRefusedOtherwise() {
        WorkingOrder canceled = order("1.0");
        canceled.fill(fill("0.4", "100"));
        canceled.apply(Trigger.CANCEL, "canceled", T0);
        assertTrue(canceled.takesLateFill(fill("0.6", "110")));
        canceled.lateFill(fill("0.5", "110"));
        assertEquals(OrderStatus.CANCELED, canceled.status());
        assertEquals(0, new BigDecimal("0.9").compareTo(canceled.filledQuantity()));
        assertFalse(canceled.takesLateFill(fill("0.2", "100")), "beyond the quantity");
        assertThrows(IllegalStateException.class, () -> canceled.lateFill(fill("0.2", "100")));
        assertEquals(0, new BigDecimal("0.9").compareTo(canceled.filledQuantity()));

        WorkingOrder rejected = order("1.0");
        rejected.reject(dev.tradeplane.model.RejectReason.VENUE_ERROR, "venue failed", T0);
        assertFalse(rejected.takesLateFill(fill("0.1", "100")), "a rejected order takes no fill");
        WorkingOrder working = order("1.0");
        assertFalse(working.takesLateFill(fill("0.1", "100")), "a working order takes fills the usual way");
    }

    @Test
    void theTableDrivesTheUsualPaths() {
        assertEquals(OrderStatus.OPEN, OrderLifecycle.next(OrderStatus.NEW, Trigger.ACCEPT));
        assertEquals(OrderStatus.PARTIALLY_FILLED, OrderLifecycle.next(OrderStatus.OPEN, Trigger.FILL_PARTIAL));
        assertEquals(OrderStatus.FILLED, OrderLifecycle.next(OrderStatus.PARTIALLY_FILLED, Trigger.FILL_FULL));
        assertEquals(OrderStatus.CANCELED, OrderLifecycle.next(OrderStatus.PARTIALLY_FILLED, Trigger.CANCEL));
        assertThrows(IllegalTransitionException.class, () -> OrderLifecycle.next(OrderStatus.OPEN, Trigger.ARM));
        assertThrows(IllegalTransitionException.class, () -> OrderLifecycle.next(OrderStatus.NEW, Trigger.CANCEL_REQUEST));
    }

    @Test
    void partialOrFullIsDecidedByQuantitiesAndAnOverfillIsRefused() {
        WorkingOrder order = order("1.0");
        order.fill(fill("0.4", "100"));
        assertEquals(OrderStatus.PARTIALLY_FILLED, order.status());
        order.fill(fill("0.6", "110"));
        assertEquals(OrderStatus.FILLED, order.status());
        assertEquals(0, new BigDecimal("106").compareTo(order.toWire().averagePrice()));
        assertEquals(0, BigDecimal.ZERO.compareTo(order.remaining()));
        assertThrows(RuntimeException.class, () -> order.fill(fill("0.1", "100")));
        assertEquals(OrderStatus.FILLED, order.status());
    }

    @Test
    void everyTransitionIsRecordedOnceWithItsCause() {
        WorkingOrder order = order("1");
        order.apply(Trigger.ACCEPT, "resting", T0);
        var first = order.drainTransitions();
        assertEquals(2, first.size());
        assertEquals(OrderStatus.NEW, first.get(0).to());
        assertEquals("resting", first.get(1).cause());
        order.fill(fill("1", "100"));
        var second = order.drainTransitions();
        assertEquals(1, second.size());
        assertEquals(3, second.get(0).seq());
        assertEquals(OrderStatus.OPEN, second.get(0).from());
    }

    private static WorkingOrder order(String quantity) {
        OrderSpec spec = new OrderSpec(UUID.randomUUID(), "c-1", new InstrumentId("BTCUSDT", "PAPER"), Side.BUY, OrderType.LIMIT,
                TimeInForce.GTC, null, null, null, null, false, null, "m", null, null, T0);
        return new WorkingOrder(spec, new BigDecimal(quantity), new BigDecimal("100"), null, false);
    }

    @Test
    void aPendingCancelStillTakesFillsAndCanGoBack() {
        WorkingOrder order = order("1");
        order.apply(Trigger.ACCEPT, "resting", T0);
        order.apply(Trigger.CANCEL_REQUEST, "cancel", T0);
        order.fill(fill("0.5", "100"));
        assertEquals(OrderStatus.PENDING_CANCEL, order.status());
        order.restore("too late", T0);
        assertEquals(OrderStatus.PARTIALLY_FILLED, order.status());
        order.apply(Trigger.REPLACE_REQUEST, "replace", T0);
        assertThrows(IllegalTransitionException.class, () -> order.apply(Trigger.CANCEL_REQUEST, "cancel", T0));
        order.fill(fill("0.5", "100"));
        assertEquals(OrderStatus.FILLED, order.status());
    }

    @Test
    void aHeldChildIsArmedOrCanceledButNeverFilledWhileHeld() {
        OrderSpec spec = new OrderSpec(UUID.randomUUID(), "c-2", new InstrumentId("BTCUSDT", "PAPER"), Side.SELL, OrderType.STOP_MARKET,
                TimeInForce.GTC, null, null, null, null, false, null, "m", null, UUID.randomUUID(), T0);
        WorkingOrder child = new WorkingOrder(spec, BigDecimal.ONE, null, new BigDecimal("90"), true);
        assertEquals(OrderStatus.HELD, child.status());
        assertTrue(child.heldByEngine());
        assertThrows(IllegalTransitionException.class, () -> child.fill(fill("1", "90")));
        child.apply(Trigger.ARM, "entry filled", T0);
        assertEquals(OrderStatus.OPEN, child.status());
        assertTrue(child.heldByEngine(), "an untriggered stop is still the engine's");
        child.triggered(T0);
        assertEquals(OrderStatus.OPEN, child.status());
        assertEquals(OrderType.MARKET, child.venueType());
        assertTrue(!child.heldByEngine());
    }

    private static VenueFill fill(String quantity, String price) {
        return new VenueFill("t-" + quantity + price, new BigDecimal(quantity), new BigDecimal(price), BigDecimal.ZERO, "USDT",
                Liquidity.MAKER, T0);
    }
}
