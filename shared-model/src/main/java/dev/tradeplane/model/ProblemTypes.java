package dev.tradeplane.model;

/** The {@code type} URIs of Tradeplane's problems. Documented in docs/API.md. */
public final class ProblemTypes {
    private static final String BASE = "https://tradeplane.dev/problems/";

    public static final String INVALID_REQUEST = BASE + "invalid-request";
    public static final String MALFORMED_JSON = BASE + "malformed-json";
    public static final String PAYLOAD_TOO_LARGE = BASE + "payload-too-large";
    public static final String UNSUPPORTED_MEDIA_TYPE = BASE + "unsupported-media-type";
    public static final String UNAUTHORIZED = BASE + "unauthorized";
    public static final String FORBIDDEN = BASE + "forbidden";
    public static final String NOT_FOUND = BASE + "not-found";
    public static final String VERSION_CONFLICT = BASE + "version-conflict";
    public static final String CONFLICT = BASE + "conflict";
    public static final String METHOD_NOT_ALLOWED = BASE + "method-not-allowed";
    public static final String NOT_ACCEPTABLE = BASE + "not-acceptable";
    public static final String IDEMPOTENCY_KEY_REUSED = BASE + "idempotency-key-reused";
    public static final String REQUEST_IN_FLIGHT = BASE + "request-in-flight";
    public static final String ORDER_REJECTED = BASE + "order-rejected";
    /** Too many orders for the model's or venue's rate limit: retry after Retry-After; nothing was written. */
    public static final String RATE_LIMITED = BASE + "rate-limited";
    /** A cancel or replace of an order that is no longer working (it filled, was canceled, expired), or is busy. */
    public static final String ORDER_NOT_WORKING = BASE + "order-not-working";
    public static final String SIGNAL_REJECTED = BASE + "signal-rejected";
    public static final String ENGINE_UNAVAILABLE = BASE + "engine-unavailable";
    public static final String SERVICE_UNAVAILABLE = BASE + "service-unavailable";
    public static final String INTERNAL = BASE + "internal-error";

    private ProblemTypes() {}
}
