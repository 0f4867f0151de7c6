package dev.tradeplane.engine.venue;

/** Receives what a venue does later to orders that were resting in its book: fills, and ends the engine did not ask for. */
@FunctionalInterface
public interface ExecutionListener {

    /**
     * @param venue         the venue's name
     * @param symbol        the venue's symbol
     * @param clientOrderId our id of the order
     * @param fill          the execution
     * @param orderDone     true when nothing of the order is left at the venue after this fill
     */
    void onFill(String venue, String symbol, String clientOrderId, VenueFill fill, boolean orderDone);

    /**
     * The venue ended a working order by itself or for someone else: canceled outside the engine (by hand on the
     * exchange, by its operator), or expired there. Fills it made before are reported first. A venue that cannot tell
     * leaves this to reconciliation.
     *
     * @param expired true when the venue expired it, false when it was canceled
     * @param why     the venue's words, for the order's history
     */
    default void onEnded(String venue, String symbol, String clientOrderId, boolean expired, String why) {
    }
}
