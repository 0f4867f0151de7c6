package dev.tradeplane.engine.order;

import dev.tradeplane.model.OrderStatus;

/** A trigger that the order's current status does not allow; the state is left unchanged. */
public final class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(OrderStatus from, Trigger trigger) {
        super("order in status " + from + " cannot " + trigger);
    }
}
