package dev.tradeplane.model;

/** One thing wrong with a request: the JSON field (snake_case) and what is wrong with it. */
public record FieldError(String field, String message) {}
