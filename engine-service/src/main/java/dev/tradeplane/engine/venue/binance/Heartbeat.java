package dev.tradeplane.engine.venue.binance;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.time.Clock;
import java.time.Duration;

/**
 * Watches one WebSocket connection: pings it every {@code every}, notes every frame that arrives (the owner calls
 * {@link #received()} for messages; pongs are noted here and passed to {@code onPong}), and calls {@code onIdle} once
 * when nothing arrived for {@code idleTimeout}: a connection whose peer went away without closing it (half-open)
 * sends nothing, so it is found this way instead of staying "connected" for ever. Binance answers pings with pongs.
 */
final class Heartbeat {

    private final Vertx vertx;
    private final WebSocket socket;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Runnable onIdle;
    private final long timer;
    private volatile long lastFrameMillis;
    private volatile boolean stopped;

    private Heartbeat(Vertx vertx, WebSocket socket, Clock clock, Duration every, Duration idleTimeout, Runnable onPong, Runnable onIdle) {
        this.vertx = vertx;
        this.socket = socket;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.onIdle = onIdle;
        this.lastFrameMillis = clock.millis();
        socket.pongHandler(b -> {
            if (stopped) {
                return; // a late pong of a dropped connection says nothing about the current one
            }
            received();
            onPong.run();
        });
        this.timer = vertx.setPeriodic(Math.max(1, every.toMillis()), id -> beat());
    }

    /** Starts watching {@code socket}; stop it when the connection is closed. */
    static Heartbeat watch(Vertx vertx, WebSocket socket, Clock clock, Duration every, Duration idleTimeout, Runnable onPong,
                           Runnable onIdle) {
        return new Heartbeat(vertx, socket, clock, every, idleTimeout, onPong, onIdle);
    }

    /** A frame arrived. */
    void received() {
        lastFrameMillis = clock.millis();
    }

    /** Milliseconds since the last frame arrived. */
    long silentMillis() {
        return clock.millis() - lastFrameMillis;
    }

    void stop() {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void beat() {
        if (stopped) {
            return;
        }
        if (silentMillis() > idleTimeout.toMillis()) {
            stop();
            onIdle.run();
            return;
        }
        socket.writePing(Buffer.buffer("tp")).onFailure(e -> { });
    }
}
