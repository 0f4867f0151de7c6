package dev.tradeplane.engine.venue.binance;

import dev.tradeplane.engine.venue.VenueFailure;
import java.time.Duration;
import java.util.Optional;

/**
 * Binance answered a request with an error: the HTTP status, Binance's error code and message. {@link #definite()}
 * says whether Binance certainly did not act on it (a 4xx refusal); a 5xx, -1006 or -1007 leaves the outcome unknown.
 */
public final class BinanceException extends RuntimeException implements VenueFailure {

    private final int status;
    private final int code;
    private final String binanceMessage;
    private final String body;
    private final Duration retryAfter;

    public BinanceException(int status, int code, String binanceMessage, String body) {
        this(status, code, binanceMessage, body, null);
    }

    public BinanceException(int status, int code, String binanceMessage, String body, Duration retryAfter) {
        super("Binance answered " + status + " " + code + ": " + binanceMessage);
        this.status = status;
        this.code = code;
        this.binanceMessage = binanceMessage;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public String binanceMessage() {
        return binanceMessage;
    }

    /** The raw answer (cancel/replace failures carry the result of each half in it). */
    public String body() {
        return body;
    }

    /**
     * Binance refused the request, so nothing was done: a 4xx that is not one of the codes Binance documents as
     * "execution status unknown" whatever the HTTP status (-1006 UNEXPECTED_RESP, -1007 TIMEOUT).
     */
    @Override
    public boolean definite() {
        return status >= 400 && status < 500 && code != -1006 && code != -1007;
    }
}
