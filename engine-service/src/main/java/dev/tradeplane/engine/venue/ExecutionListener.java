package dev.tradeplane.engine.venue;

/** Receives fills a venue makes later, on orders that were resting in its book. */
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
}
