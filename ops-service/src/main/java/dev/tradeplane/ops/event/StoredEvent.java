package dev.tradeplane.ops.event;

import dev.tradeplane.model.Event;

/** An event as OPS keeps it: its position in OPS' log, the envelope, and its JSON as received. */
public record StoredEvent(long seq, Event event, String json) {}
