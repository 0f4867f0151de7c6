package dev.tradeplane.engine.venue;

import java.time.Duration;
import java.util.Optional;

/**
 * What a venue adapter's failure says about the request that failed: whether the venue certainly did not act on it
 * (a refusal: the adapter held it back, or the venue answered that it did nothing), and how long to wait before
 * sending it again. A failure that is not a {@code VenueFailure}, or is not {@link #definite()}, leaves the outcome
 * unknown: the request may have been acted on.
 */
public interface VenueFailure {

    /** True when the venue certainly did not act on the request. */
    boolean definite();

    /** How long the venue asked to wait, when it said. */
    default Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** Whether {@code failure} certainly left the venue untouched. */
    static boolean isDefinite(Throwable failure) {
        return failure instanceof VenueFailure f && f.definite();
    }

    /** Whole seconds to wait before retrying after {@code failure}: what the venue asked for, else {@code otherwise}. */
    static int retryAfterSeconds(Throwable failure, int otherwise) {
        if (failure instanceof VenueFailure f && f.retryAfter().isPresent()) {
            return (int) Math.max(1, (f.retryAfter().get().toMillis() + 999) / 1000);
        }
        return otherwise;
    }
}
