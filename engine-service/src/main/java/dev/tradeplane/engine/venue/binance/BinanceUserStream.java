package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The account's user-data stream: a listen key from {@code POST /api/v3/userDataStream}, kept alive every 30 minutes,
 * and a WebSocket on {@code /ws/<listenKey>} whose execution reports are handed to {@code onEvent}. A lost stream is
 * opened again with {@link Backoff} (with a new listen key when the old one expired); while it is down,
 * {@link #connected()} is false and the venue polls its fills over REST instead. Each time it connects,
 * {@code onConnected} runs before any message is read, so the venue catches up on what happened while it was down
 * (Binance does not send it again). The stream is pinged every {@code heartbeat}; one on which nothing arrives for
 * {@code idle-timeout} (an account that does not trade sends nothing, but Binance answers pings) is taken for dead and
 * opened again.
 */
public final class BinanceUserStream {

    private static final Logger LOG = Logger.getLogger(BinanceUserStream.class);
    private static final long KEEPALIVE_MILLIS = 30 * 60 * 1000L;

    private final String venue;
    private final Vertx vertx;
    private final BinanceConfig config;
    private final BinanceRest rest;
    private final ObjectMapper mapper;
    private final Consumer<JsonNode> onEvent;
    private final Runnable onConnected;
    private final Backoff backoff;
    private final WebSocketClient client;
    private volatile String listenKey;
    private final StreamConnection connection;
    private volatile boolean stopped;
    private long keepAliveTimer = -1;

    public BinanceUserStream(String venue, Vertx vertx, BinanceConfig config, BinanceRest rest, ObjectMapper mapper, Clock clock,
                             Consumer<JsonNode> onEvent, Runnable onConnected) {
        this.venue = venue;
        this.vertx = vertx;
        this.config = config;
        this.rest = rest;
        this.mapper = mapper;
        this.onEvent = onEvent;
        this.onConnected = onConnected;
        this.connection = new StreamConnection(vertx, clock, config);
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax());
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
    }

    public void start() {
        keepAliveTimer = vertx.setPeriodic(KEEPALIVE_MILLIS, id -> keepAlive());
        open();
    }

    public void stop() {
        stopped = true;
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
        }
        connection.close();
        client.close();
    }

    /** Whether execution reports arrive by push now. */
    public boolean connected() {
        return connection.connected();
    }

    private void open() {
        if (stopped) {
            return;
        }
        rest.call(HttpMethod.POST, "/api/v3/userDataStream", Map.of(), BinanceRest.Security.API_KEY, 2, 0)
                .subscribe().with(body -> {
                    listenKey = body.path("listenKey").asText();
                    connect(listenKey);
                }, e -> lost(null, "no listen key: " + e.getMessage()));
    }

    private void connect(String key) {
        WebSocketConnectOptions options = BinanceRest.webSocket(config, "/ws/" + key);
        client.connect(options).onSuccess(s -> {
            LOG.infof("%s user-data stream connected: fills arrive by push", venue);
            backoff.reset();
            connection.attach(s, () -> { }, this::onMessage, this::lost);
            s.exceptionHandler(e -> LOG.warnf("%s user-data stream error: %s", venue, e.getMessage()));
            if (stopped) {
                s.close();
                return;
            }
            onConnected.run();
        }).onFailure(e -> lost(null, "connect to " + options.getHost() + ":" + options.getPort() + " failed: " + e.getMessage()));
    }

    private void onMessage(String text) {
        JsonNode event;
        try {
            event = mapper.readTree(text);
        } catch (IOException e) {
            LOG.warnf("%s user data: unreadable message dropped: %s", venue, e.getMessage());
            return;
        }
        if (event.has("event")) {
            event = event.get("event");
        }
        if ("listenKeyExpired".equals(event.path("e").asText())) {
            connection.close();
            return;
        }
        onEvent.accept(event);
    }

    /** The connection {@code which} (or the attempt to open one, when null) is lost; a later connection is left alone. */
    private void lost(WebSocket which, String why) {
        if (!connection.drop(which)) {
            return;
        }
        if (stopped) {
            return;
        }
        var delay = backoff.next();
        LOG.warnf("%s user-data stream down (%s): fills are polled over REST; reconnecting in %d ms", venue, why, delay.toMillis());
        vertx.setTimer(delay.toMillis(), id -> open());
    }

    private void keepAlive() {
        String key = listenKey;
        if (key == null || stopped) {
            return;
        }
        rest.call(HttpMethod.PUT, "/api/v3/userDataStream", Map.of("listenKey", key), BinanceRest.Security.API_KEY, 2, 0)
                .subscribe().with(ok -> { }, e -> {
                    LOG.warnf("%s listen key keep-alive failed (%s); opening a new stream", venue, e.getMessage());
                    connection.close();
                });
    }
}
