package dev.tradeplane.ops.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker in front of one engine: after {@code failures} calls in a row fail, calls fail at once for the
 * cooldown (a signal gets 503 with Retry-After without waiting on a dead engine); then one call is let through to
 * try, and its outcome closes or reopens the circuit.
 */
final class EngineCircuit {

    /** 0 closed, 1 half-open (one trial call out), 2 open. */
    enum State { CLOSED, HALF_OPEN, OPEN }

    private final int failures;
    private final Duration cooldown;
    private final Clock clock;
    private int consecutive;
    private Instant openUntil = Instant.EPOCH;
    private boolean trialOut;

    EngineCircuit(int failures, Duration cooldown, Clock clock) {
        this.failures = failures;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** Seconds until a call may go, or 0 when it may go now (taking the trial slot when half-open). */
    synchronized long admit() {
        Instant now = clock.instant();
        if (consecutive < failures) {
            return 0;
        }
        if (now.isBefore(openUntil)) {
            return Math.max(1, Duration.between(now, openUntil).toSeconds() + 1);
        }
        if (trialOut) {
            return 1;
        }
        trialOut = true;
        return 0;
    }

    /** Records a success; true when it closed an open circuit. */
    synchronized boolean succeeded() {
        boolean wasOpen = consecutive >= failures;
        consecutive = 0;
        trialOut = false;
        return wasOpen;
    }

    /** Records a failure; true when it opened the circuit (a failed trial call reopens it, but it was open already). */
    synchronized boolean failed() {
        consecutive++;
        trialOut = false;
        if (consecutive >= failures) {
            openUntil = clock.instant().plus(cooldown);
        }
        return consecutive == failures;
    }

    int failures() {
        return failures;
    }

    synchronized State state() {
        if (consecutive < failures) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
    }
}
