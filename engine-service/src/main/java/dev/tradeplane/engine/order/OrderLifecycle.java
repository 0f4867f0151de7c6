package dev.tradeplane.engine.order;

import static dev.tradeplane.model.OrderStatus.CANCELED;
import static dev.tradeplane.model.OrderStatus.EXPIRED;
import static dev.tradeplane.model.OrderStatus.FILLED;
import static dev.tradeplane.model.OrderStatus.HELD;
import static dev.tradeplane.model.OrderStatus.NEW;
import static dev.tradeplane.model.OrderStatus.OPEN;
import static dev.tradeplane.model.OrderStatus.PARTIALLY_FILLED;
import static dev.tradeplane.model.OrderStatus.PENDING_CANCEL;
import static dev.tradeplane.model.OrderStatus.PENDING_REPLACE;
import static dev.tradeplane.model.OrderStatus.REJECTED;

import dev.tradeplane.model.OrderStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * The order state machine, in one table (DESIGN 5): {@code (status, trigger) -> status}. Every other pair is
 * illegal and cannot be written. Final statuses have no way out; canceled and expired ones take a late fill in place. Whether a fill is partial or full, and whether a
 * restored order is open or partially filled, is decided from quantities by {@link WorkingOrder}.
 */
public final class OrderLifecycle {

    private static final Map<OrderStatus, Map<Trigger, OrderStatus>> TABLE = new EnumMap<>(OrderStatus.class);

    static {
        allow(NEW, Trigger.ACCEPT, OPEN);
        allow(NEW, Trigger.FILL_PARTIAL, PARTIALLY_FILLED);
        allow(NEW, Trigger.FILL_FULL, FILLED);
        allow(NEW, Trigger.CANCEL, CANCELED);
        allow(NEW, Trigger.REJECT, REJECTED);
        allow(NEW, Trigger.EXPIRE, EXPIRED);

        allow(HELD, Trigger.ARM, OPEN);
        allow(HELD, Trigger.CANCEL, CANCELED);
        allow(HELD, Trigger.REJECT, REJECTED);

        allow(OPEN, Trigger.TRIGGER, OPEN);
        allow(OPEN, Trigger.FILL_PARTIAL, PARTIALLY_FILLED);
        allow(OPEN, Trigger.FILL_FULL, FILLED);
        allow(OPEN, Trigger.CANCEL_REQUEST, PENDING_CANCEL);
        allow(OPEN, Trigger.REPLACE_REQUEST, PENDING_REPLACE);
        allow(OPEN, Trigger.CANCEL, CANCELED);
        allow(OPEN, Trigger.REJECT, REJECTED);
        allow(OPEN, Trigger.EXPIRE, EXPIRED);

        allow(PARTIALLY_FILLED, Trigger.FILL_PARTIAL, PARTIALLY_FILLED);
        allow(PARTIALLY_FILLED, Trigger.FILL_FULL, FILLED);
        allow(PARTIALLY_FILLED, Trigger.CANCEL_REQUEST, PENDING_CANCEL);
        allow(PARTIALLY_FILLED, Trigger.REPLACE_REQUEST, PENDING_REPLACE);
        allow(PARTIALLY_FILLED, Trigger.CANCEL, CANCELED);
        allow(PARTIALLY_FILLED, Trigger.EXPIRE, EXPIRED);

        allow(PENDING_CANCEL, Trigger.FILL_PARTIAL, PENDING_CANCEL);
        allow(PENDING_CANCEL, Trigger.FILL_FULL, FILLED);
        allow(PENDING_CANCEL, Trigger.CANCEL, CANCELED);
        allow(PENDING_CANCEL, Trigger.EXPIRE, EXPIRED);
        allow(PENDING_CANCEL, Trigger.RESTORE_OPEN, OPEN);
        allow(PENDING_CANCEL, Trigger.RESTORE_PARTIAL, PARTIALLY_FILLED);

        allow(PENDING_REPLACE, Trigger.FILL_PARTIAL, PENDING_REPLACE);
        allow(PENDING_REPLACE, Trigger.FILL_FULL, FILLED);
        allow(PENDING_REPLACE, Trigger.RESTORE_OPEN, OPEN);
        allow(PENDING_REPLACE, Trigger.RESTORE_PARTIAL, PARTIALLY_FILLED);
        allow(PENDING_REPLACE, Trigger.CANCEL, CANCELED);

        // The only move of a final status, and not out of it: a canceled or expired order may have traded at the venue
        // before it ended there, the report arriving late. Rejected and filled orders take none (see WorkingOrder).
        allow(CANCELED, Trigger.LATE_FILL, CANCELED);
        allow(EXPIRED, Trigger.LATE_FILL, EXPIRED);
    }

    private OrderLifecycle() {}

    private static void allow(OrderStatus from, Trigger trigger, OrderStatus to) {
        TABLE.computeIfAbsent(from, s -> new EnumMap<>(Trigger.class)).put(trigger, to);
    }

    /** The status after {@code trigger}, or an exception when the table has no such transition. */
    public static OrderStatus next(OrderStatus from, Trigger trigger) {
        OrderStatus to = TABLE.getOrDefault(from, Map.of()).get(trigger);
        if (to == null) {
            throw new IllegalTransitionException(from, trigger);
        }
        return to;
    }

    public static boolean allows(OrderStatus from, Trigger trigger) {
        return TABLE.getOrDefault(from, Map.of()).containsKey(trigger);
    }
}
