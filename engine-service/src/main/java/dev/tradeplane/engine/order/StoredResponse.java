package dev.tradeplane.engine.order;

/**
 * The answer to a new-order request, exactly as first sent: a retry with the same idempotency key gets these same
 * bytes back, marked as replayed.
 */
public record StoredResponse(int status, String body, boolean replayed, String orderId) {

    public StoredResponse asReplay() {
        return new StoredResponse(status, body, true, orderId);
    }
}
