package dev.tradeplane.engine.venue.binance;

import dev.tradeplane.engine.venue.VenueFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Binance acted on a request, but what had to follow before the adapter could answer failed or fell short: reading the
 * order's trades (an error, or trades that still add up to less than Binance says the order executed), canceling a
 * replacement too large. The outcome of the call is unknown, never "certainly not done": the engine keeps the order
 * pending and settles it with Binance later, rather than take an answer with trades missing.
 */
final class OutcomeUnknown extends RuntimeException implements VenueFailure {

    private final Duration retryAfter;

    OutcomeUnknown(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = cause instanceof VenueFailure f ? f.retryAfter().orElse(null) : null;
    }

    OutcomeUnknown(String message) {
        super(message);
        this.retryAfter = null;
    }

    @Override
    public boolean definite() {
        return false;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
