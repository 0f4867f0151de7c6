package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The account's user-data stream, on Binance's WebSocket API ({@code ws-api-url}): each connection subscribes with a
 * signed {@code userDataStream.subscribe.signature} request (API key, timestamp on Binance's clock, HMAC-SHA256), and
 * the execution reports of the subscription are handed to {@code onEvent}. (Binance retired the listen-key endpoints
 * for spot on 2026-02-20.) The stream counts as connected, {@link #connected()}, only once Binance has acknowledged
 * the subscription: an open socket that subscribed to nothing would look like a quiet account. Until then, and
 * whenever it is down, the venue polls its fills over REST.
 * <p>
 * A refused subscription, one not acknowledged within {@code request-timeout}, an {@code eventStreamTerminated}
 * event, a closed connection or one silent for {@code idle-timeout} (it is pinged every {@code heartbeat}) all end the
 * connection, and a new one is opened after {@link Backoff} (or after the wait a 429/418 answer asks for, which holds
 * REST requests back too: the WebSocket API shares the IP's limits); the back-off starts afresh only after a
 * subscription that stayed up for {@link Backoff#STABLE_MILLIS}. A
 * timestamp refusal (-1021) measures the server time again first. A {@code serverShutdown} event (Binance will close
 * the connection soon) has a new connection opened at once. Each time a subscription is acknowledged,
 * {@code onConnected} runs before any event is read, so the venue catches up on what happened while the stream was
 * down (Binance does not send it again).
 */
public final class BinanceUserStream {

    private static final Logger LOG = Logger.getLogger(BinanceUserStream.class);
    static final String SUBSCRIBE = "userDataStream.subscribe.signature";

    private final String venue;
    private final Vertx vertx;
    private final BinanceConfig config;
    private final BinanceRest rest;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> onEvent;
    private final Runnable onConnected;
    private final Backoff backoff;
    private final Clock clock;
    private final WebSocketClient client;
    private final StreamConnection connection;
    private final AtomicLong requests = new AtomicLong();
    /** The connection whose subscription Binance acknowledged; null while there is none. */
    private volatile WebSocket subscribed;
    /** A wait Binance asked for (429/418) before the next connection, in ms; 0 for none. */
    private volatile long retryAfterMillis;
    /** A subscription was refused for its timestamp (-1021): the next one waits for the server time. */
    private volatile boolean measureTimeFirst;
    private volatile boolean stopped;

    public BinanceUserStream(String venue, Vertx vertx, BinanceConfig config, BinanceRest rest, ObjectMapper mapper, Clock clock,
                             Consumer<JsonNode> onEvent, Runnable onConnected) {
        this.venue = venue;
        this.vertx = vertx;
        this.config = config;
        this.rest = rest;
        this.mapper = mapper;
        this.onEvent = onEvent;
        this.onConnected = onConnected;
        this.clock = clock;
        this.connection = new StreamConnection(vertx, clock, config);
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax());
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
    }

    public void start() {
        open();
    }

    public void stop() {
        stopped = true;
        connection.close();
        client.close();
    }

    /** Whether execution reports arrive by push now: a connection is open and its subscription acknowledged. */
    public boolean connected() {
        return subscribed != null && connection.connected();
    }

    /** Reconnection attempts that failed in a row (a subscription dropped soon after it was acknowledged counts). */
    int reconnectFailures() {
        return backoff.failures();
    }

    private void open() {
        if (stopped) {
            return;
        }
        WebSocketConnectOptions options = BinanceRest.webSocket(config.wsApiUrl(), "", config.requestTimeout());
        client.connect(options).onSuccess(s -> {
            if (stopped) {
                s.close();
                return;
            }
            connection.attach(s, () -> { }, text -> onMessage(s, text), this::lost);
            s.exceptionHandler(e -> LOG.warnf("%s user-data stream error: %s", venue, e.getMessage()));
            subscribe(s);
        }).onFailure(e -> lost(null, "connect to " + options.getHost() + ":" + options.getPort() + " failed: " + e.getMessage()));
    }

    private void subscribe(WebSocket s) {
        if (measureTimeFirst) {
            measureTimeFirst = false;
            rest.syncTime().subscribe().with(x -> sendSubscription(s), e -> {
                LOG.warnf("%s server time not measured: %s", venue, e.getMessage());
                sendSubscription(s);
            });
        } else {
            sendSubscription(s);
        }
    }

    private void sendSubscription(WebSocket s) {
        String id = "subscribe-" + requests.incrementAndGet();
        ObjectNode request = mapper.createObjectNode().put("id", id).put("method", SUBSCRIBE);
        try {
            request.set("params", mapper.valueToTree(rest.signedWebSocketParams(Map.of())));
        } catch (IllegalStateException e) {
            lost(s, e.getMessage());
            return;
        }
        s.writeTextMessage(request.toString());
        vertx.setTimer(config.requestTimeout().toMillis(), t -> {
            if (subscribed != s) {
                lost(s, "the subscription was not acknowledged within " + config.requestTimeout().toMillis() + " ms");
            }
        });
    }

    private void onMessage(WebSocket s, String text) {
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (IOException e) {
            LOG.warnf("%s user data: unreadable message dropped: %s", venue, e.getMessage());
            return;
        }
        JsonNode event = message.get("event");
        if (event != null) {
            if ("serverShutdown".equals(event.path("e").asText())) {
                // Binance will close this connection soon: a new one now, rather than a gap at a moment of its choosing.
                lost(s, "Binance announced a server shutdown", true);
                return;
            }
            if ("eventStreamTerminated".equals(event.path("e").asText())) {
                lost(s, "Binance ended the subscription (eventStreamTerminated)");
                return;
            }
            onEvent.accept(event);
        } else if (message.has("status")) {
            onAnswer(s, message);
        }
    }

    /** Binance's answer to a request of ours: only the subscription's matters. */
    private void onAnswer(WebSocket s, JsonNode answer) {
        if (!answer.path("id").asText().startsWith("subscribe-") || subscribed == s) {
            return;
        }
        int status = answer.path("status").asInt();
        if (status == 200) {
            subscribed = s;
            // Counted as a connection that worked only once it has stayed up a while (Backoff.afterLoss): a server that
            // acknowledges and drops at once is not reconnected to, with a catch-up poll each time, every reconnect-min.
            backoff.opened(clock.millis());
            LOG.infof("%s user-data stream subscribed (subscription %d): fills arrive by push", venue,
                    answer.path("result").path("subscriptionId").asInt());
            onConnected.run();
            return;
        }
        JsonNode error = answer.path("error");
        int code = error.path("code").asInt();
        if (code == -1021) {
            measureTimeFirst = true; // the next subscription is signed after the server time is measured again
        }
        if (status == 429 || status == 418) {
            // The WebSocket API shares the IP's limits with REST: both wait as long as Binance asks (a minute when it
            // does not say).
            long until = error.path("data").path("retryAfter").asLong(0);
            Duration wait = until > 0 ? Duration.ofMillis(Math.max(1, until - rest.serverMillis())) : Duration.ofMinutes(1);
            retryAfterMillis = wait.toMillis();
            rest.backOff(status, wait);
        }
        lost(s, "subscription refused: " + status + " " + code + " " + error.path("msg").asText(""));
    }

    /**
     * The connection {@code which} (or the attempt to open one, when null) is lost: it is closed, and a new one opened
     * after back-off; a later connection is left alone.
     */
    private void lost(WebSocket which, String why) {
        lost(which, why, false);
    }

    /** As {@link #lost(WebSocket, String)}; {@code atOnce}: the next connection is opened now ({@link Backoff#announced}). */
    private void lost(WebSocket which, String why, boolean atOnce) {
        if (!connection.drop(which)) {
            return;
        }
        subscribed = null;
        if (stopped) {
            return;
        }
        long delay = atOnce ? backoff.announced(clock.millis()).toMillis()
                : Math.max(backoff.afterLoss(clock.millis()).toMillis(), retryAfterMillis);
        retryAfterMillis = 0;
        LOG.warnf("%s user-data stream down (%s): fills are polled over REST; reconnecting in %d ms", venue, why, delay);
        vertx.setTimer(Math.max(1, delay), id -> open());
    }
}
