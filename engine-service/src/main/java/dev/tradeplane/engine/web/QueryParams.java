package dev.tradeplane.engine.web;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.InstrumentId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** Parsing of query parameters; a bad one is a 400 naming it. */
public final class QueryParams {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private QueryParams() {}

    public static InstrumentId instrument(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return InstrumentId.parse(value).orElseThrow(() -> Problems.invalid(name, "must look like BTCUSDT.PAPER"));
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalid(name, "must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }

    public static int limit(String value) {
        return dev.tradeplane.common.web.WholeParams.of("limit", value, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, "must be an order id (UUID)");
        }
    }

    /** An order id in a path: 404 when it is not a UUID (no order can have that id). */
    public static UUID orderId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problems.notFound("No order " + value + " (order ids are UUIDs)");
        }
    }

    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(name, "unknown value " + value);
        }
    }
}
