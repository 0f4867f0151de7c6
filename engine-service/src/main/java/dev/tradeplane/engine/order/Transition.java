package dev.tradeplane.engine.order;

import dev.tradeplane.model.OrderStatus;
import java.time.Instant;

/** One step of an order's life, persisted with its time and cause. {@code from} is null for the first. */
public record Transition(int seq, OrderStatus from, OrderStatus to, String cause, Instant at) {}
