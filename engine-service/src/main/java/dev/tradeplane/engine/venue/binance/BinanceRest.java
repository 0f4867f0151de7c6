package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * Binance's REST API over the engine's own Vert.x (non-blocking; no extra HTTP library). Signs SIGNED requests
 * (timestamp corrected by the measured server-time offset, {@code recvWindow}, HMAC-SHA256 signature last), sends the
 * API key, reads the rate-limit headers of every answer, honours 429/418 {@code Retry-After}, and turns Binance's
 * errors into {@link BinanceException}s. A request refused for a timestamp outside the window (-1021) is sent once
 * more after the clock offset is measured again: it was not acted on.
 */
public final class BinanceRest {

    private static final Logger LOG = Logger.getLogger(BinanceRest.class);

    public enum Security {
        NONE,
        API_KEY,
        SIGNED
    }

    private final HttpClient client;
    private final BinanceConfig config;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final RateLimits limits;
    private final BinanceSigner signer;
    private final URI base;
    private volatile long offsetMillis;

    public BinanceRest(Vertx vertx, BinanceConfig config, ObjectMapper mapper, Clock clock, RateLimits limits) {
        this.config = config;
        this.mapper = mapper;
        this.clock = clock;
        this.limits = limits;
        this.base = URI.create(config.baseUrl());
        this.signer = config.apiSecret().filter(s -> !s.isBlank()).map(BinanceSigner::new).orElse(null);
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(16).setKeepAlive(true)
                .setSsl("https".equals(base.getScheme())).setTrustAll(false).setVerifyHost(true));
    }

    /** Our clock's distance behind Binance's, in ms, as last measured. */
    public long offsetMillis() {
        return offsetMillis;
    }

    /** Binance's time now, by our clock and the measured offset. */
    public long serverMillis() {
        return clock.millis() + offsetMillis;
    }

    /** Binance's time now: its rate-limit windows are aligned to its own clock. */
    private java.time.Instant serverNow() {
        return java.time.Instant.ofEpochMilli(serverMillis());
    }

    /**
     * Binance answered 429 or 418 elsewhere (on the WebSocket API, which shares the IP's limits): every REST request
     * is held back for {@code wait} too.
     */
    public void backOff(int status, Duration wait) {
        limits.backOff(status, wait, serverNow());
    }

    /** Measures the server-time offset: Binance's time against the middle of our request's round trip. */
    public Uni<Void> syncTime() {
        long sent = clock.millis();
        return call(HttpMethod.GET, "/api/v3/time", Map.of(), Security.NONE, 1, 0).invoke(body -> {
            long received = clock.millis();
            long server = body.path("serverTime").asLong();
            offsetMillis = server - (sent + received) / 2;
            LOG.debugf("Binance server time offset %d ms (round trip %d ms)", offsetMillis, received - sent);
        }).replaceWithVoid();
    }

    /**
     * Holds the weight and orders of a request to be sent later on the hold ({@link #call(HttpMethod, String, Map,
     * Security, RateLimits.Hold)}), for a step that must not start unless the next can follow: nothing else can take
     * them meanwhile. Refused as the request would be now (a back-off in force, a limit it would pass): a definite
     * failure, nothing sent. {@link #release} the hold once done, whatever happened.
     */
    public RateLimits.Hold reserve(int weight, int newOrders) {
        RateLimits.Grant grant = limits.acquire(weight, newOrders, false, serverNow());
        if (grant.refusal() != null) {
            throw new BinanceException(429, -1003, "not sent: " + grant.refusal().why(), null, grant.refusal().retryAfter());
        }
        return grant.hold();
    }

    /** The weight and orders of a {@link #reserve reserved} hold no longer count (once, however often it is called). */
    public void release(RateLimits.Hold hold) {
        limits.release(hold);
    }

    /**
     * Sends a signed request on a {@link #reserve reserved} hold: the limits were checked when it was made; only a
     * back-off Binance has asked for since holds it back. The hold stays the caller's to release.
     */
    public Uni<JsonNode> call(HttpMethod method, String path, Map<String, String> params, Security security, RateLimits.Hold reserved) {
        return call(method, path, params, security, 0, 0, false, reserved);
    }

    /** Sends a request of {@code weight} that places {@code newOrders} orders; the answer's JSON, or a failure. */
    public Uni<JsonNode> call(HttpMethod method, String path, Map<String, String> params, Security security, int weight, int newOrders) {
        return call(method, path, params, security, weight, newOrders, false);
    }

    /** Sends a signed cancel: held back by a back-off Binance asked for, but not by the adapter's count of the weight. */
    public Uni<JsonNode> cancel(String path, Map<String, String> params, int weight) {
        return call(HttpMethod.DELETE, path, params, Security.SIGNED, weight, 0, true);
    }

    /**
     * Sends a request; {@code reducesRisk} (a cancel, or reading what a cancel left) passes the adapter's own weight
     * count, not a back-off Binance asked for.
     */
    public Uni<JsonNode> call(HttpMethod method, String path, Map<String, String> params, Security security, int weight, int newOrders,
                              boolean reducesRisk) {
        return call(method, path, params, security, weight, newOrders, reducesRisk, null);
    }

    private Uni<JsonNode> call(HttpMethod method, String path, Map<String, String> params, Security security, int weight, int newOrders,
                               boolean reducesRisk, RateLimits.Hold reserved) {
        return attempt(method, path, params, security, weight, newOrders, reducesRisk, reserved).onFailure(e -> security == Security.SIGNED
                        && e instanceof BinanceException b && b.code() == -1021)
                .recoverWithUni(e -> {
                    LOG.warnf("Binance refused a timestamp (%s); measuring the server time again", e.getMessage());
                    return syncTime().flatMap(x -> attempt(method, path, params, security, weight, newOrders, reducesRisk, reserved));
                });
    }

    private Uni<JsonNode> attempt(HttpMethod method, String path, Map<String, String> params, Security security, int weight, int newOrders,
                                  boolean reducesRisk, RateLimits.Hold reserved) {
        return Uni.createFrom().deferred(() -> {
            if (reserved != null) {
                var backOff = limits.backOff(serverNow());
                return backOff.isPresent() ? Uni.createFrom().failure(refused(backOff.get()))
                        : send(method, path, params, security);
            }
            // The request counts against the limits from now until its answer (whose headers count it then).
            RateLimits.Grant grant = limits.acquire(weight, newOrders, reducesRisk, serverNow());
            if (grant.refusal() != null) {
                return Uni.createFrom().failure(refused(grant.refusal()));
            }
            return Uni.createFrom().deferred(() -> send(method, path, params, security)).onTermination().invoke(() -> limits.release(grant.hold()));
        });
    }

    private static BinanceException refused(RateLimits.Refusal refusal) {
        return new BinanceException(429, -1003, "not sent: " + refusal.why(), null, refusal.retryAfter());
    }

    private Uni<JsonNode> send(HttpMethod method, String path, Map<String, String> params, Security security) {
        if (security != Security.NONE && config.apiKey().filter(k -> !k.isBlank()).isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("tradeplane.binance.api-key (BINANCE_API_KEY) is not set"));
        }
        String query = query(params, security);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost()).setPort(port(base))
                .setSsl("https".equals(base.getScheme())).setURI(prefix() + path + (query.isEmpty() ? "" : "?" + query))
                .setTimeout(config.requestTimeout().toMillis());
        if (security != Security.NONE) {
            options.putHeader("X-MBX-APIKEY", config.apiKey().orElseThrow());
        }
        return Uni.createFrom().completionStage(() -> client.request(options)
                        .compose(request -> request.send().compose(response -> response.body().map(body -> answer(response, body))))
                        .toCompletionStage());
    }

    private JsonNode answer(HttpClientResponse response, Buffer body) {
        limits.observe(response.getHeader("X-MBX-USED-WEIGHT-1M"), response.getHeader("X-MBX-ORDER-COUNT-10S"),
                response.getHeader("X-MBX-ORDER-COUNT-1D"), serverNow());
        int status = response.statusCode();
        Duration wait = null;
        if (status == 429 || status == 418) {
            wait = retryAfter(response.getHeader("Retry-After"));
            limits.backOff(status, wait, serverNow());
        }
        JsonNode json;
        try {
            json = body.length() == 0 ? mapper.createObjectNode() : mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw new BinanceException(status, status >= 500 ? -1000 : -1, "unreadable answer: " + body.toString().strip(), body.toString());
        }
        if (status >= 400) {
            throw new BinanceException(status, json.path("code").asInt(-1), json.path("msg").asText(""), body.toString(), wait);
        }
        return json;
    }

    /** Binance sends seconds; anything else (absent, a date) counts as a minute. */
    static Duration retryAfter(String header) {
        try {
            return header == null ? Duration.ofMinutes(1) : Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Duration.ofMinutes(1);
        }
    }

    private String query(Map<String, String> params, Security security) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (security == Security.SIGNED) {
            if (signer == null) {
                throw new IllegalStateException("tradeplane.binance.api-secret (BINANCE_API_SECRET) is not set");
            }
            all.put("recvWindow", Long.toString(config.recvWindow().toMillis()));
            all.put("timestamp", Long.toString(serverMillis()));
        }
        StringJoiner joined = new StringJoiner("&");
        all.forEach((k, v) -> joined.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String payload = joined.toString();
        return security == Security.SIGNED ? payload + "&signature=" + signer.sign(payload) : payload;
    }

    private String prefix() {
        String p = base.getRawPath();
        return p == null || p.equals("/") ? "" : p;
    }

    /**
     * The parameters of a signed WebSocket API request ({@code userDataStream.subscribe.signature}): {@code params}
     * with the API key, {@code recvWindow} and {@code timestamp} (Binance's clock, as for REST), sorted by name, and the
     * HMAC-SHA256 {@code signature} of {@code name=value&...} over all of them.
     */
    public java.util.SortedMap<String, Object> signedWebSocketParams(Map<String, Object> params) {
        String key = config.apiKey().filter(k -> !k.isBlank())
                .orElseThrow(() -> new IllegalStateException("tradeplane.binance.api-key (BINANCE_API_KEY) is not set"));
        if (signer == null) {
            throw new IllegalStateException("tradeplane.binance.api-secret (BINANCE_API_SECRET) is not set");
        }
        java.util.SortedMap<String, Object> all = new java.util.TreeMap<>(params);
        all.put("apiKey", key);
        all.put("recvWindow", config.recvWindow().toMillis());
        all.put("timestamp", serverMillis());
        StringJoiner payload = new StringJoiner("&");
        all.forEach((k, v) -> payload.add(k + "=" + v));
        all.put("signature", signer.sign(payload.toString()));
        return all;
    }

    /** How to open a stream at {@code pathAndQuery} under the configured WebSocket base URL. */
    static io.vertx.core.http.WebSocketConnectOptions webSocket(BinanceConfig config, String pathAndQuery) {
        return webSocket(config.wsUrl(), pathAndQuery, config.requestTimeout());
    }

    /** How to open a WebSocket at {@code pathAndQuery} under {@code base} (a {@code ws://} or {@code wss://} URL). */
    static io.vertx.core.http.WebSocketConnectOptions webSocket(String base, String pathAndQuery, Duration timeout) {
        URI ws = URI.create(base);
        String prefix = ws.getRawPath() == null ? "" : ws.getRawPath().replaceAll("/$", "");
        return new io.vertx.core.http.WebSocketConnectOptions().setHost(ws.getHost()).setPort(port(ws)).setSsl("wss".equals(ws.getScheme()))
                .setURI(prefix + pathAndQuery).setTimeout(timeout.toMillis());
    }

    static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme()) ? 443 : 80;
    }

    public void close() {
        client.close();
    }
}
