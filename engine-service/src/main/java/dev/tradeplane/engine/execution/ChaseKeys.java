package dev.tradeplane.engine.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency keys and client order ids of a chase's own orders, derived from the chase's key (or the request's
 * client order id) and a suffix ({@code 1} for a first order placed again, {@code r1} for an order placed anew,
 * {@code fallback}): {@code <base>:<suffix>} while that fits the 64 characters keys and client order ids may have,
 * else {@code h.<40 hex of the base's SHA-256>:<suffix>}. The same base and suffix always give the same id, so a
 * retry or a restart finds the order it placed; ids that fit keep the short form they always had.
 */
public final class ChaseKeys {

    /** The longest idempotency key and client order id the OMS takes ({@code OrderValidator}). */
    public static final int MAX_LENGTH = 64;
    private static final int HASH_CHARS = 40;

    private ChaseKeys() {}

    /** {@code base} itself for suffix null (the first order's first attempt), else the derived id. */
    public static String derive(String base, String suffix) {
        if (suffix == null) {
            return base;
        }
        String plain = base + ":" + suffix;
        if (plain.length() <= MAX_LENGTH) {
            return plain;
        }
        String hashed = "h." + sha256(base).substring(0, HASH_CHARS) + ":" + suffix;
        if (hashed.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("suffix too long for a derived key: " + suffix);
        }
        return hashed;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
