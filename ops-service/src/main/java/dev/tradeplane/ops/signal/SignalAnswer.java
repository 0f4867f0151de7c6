package dev.tradeplane.ops.signal;

/** The answer to a signal, exactly as first given; a repeat of the signal gets the same bytes, marked replayed. */
public record SignalAnswer(int status, String body, boolean replayed) {}
