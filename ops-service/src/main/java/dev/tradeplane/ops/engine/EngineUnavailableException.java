package dev.tradeplane.ops.engine;

/** No usable answer from an engine after the retries: it is down, slow, or failing. */
public final class EngineUnavailableException extends RuntimeException {

    private final String venue;
    private final int retryAfterSeconds;

    public EngineUnavailableException(String venue, String message, Throwable cause) {
        this(venue, message, cause, 2);
    }

    public EngineUnavailableException(String venue, String message, Throwable cause, int retryAfterSeconds) {
        super(message, cause);
        this.venue = venue;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When a retry makes sense, in seconds. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public String venue() {
        return venue;
    }
}
