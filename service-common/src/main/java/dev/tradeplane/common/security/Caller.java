package dev.tradeplane.common.security;

/** Who is calling ({@code token:api}, {@code token:admin} or {@code jwt:<subject>}) and with which role. */
public record Caller(String id, Role role) {}
