package dev.tradeplane.engine.venue.binance;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A stream's current WebSocket connection, watched by a {@link Heartbeat}: what both Binance streams share. A
 * connection that closes, or goes silent for {@code idle-timeout} (then it is closed too), is reported to
 * {@code lost} with itself, and {@link #drop} tells whether it is still the current one: a report about a connection
 * a later one has replaced changes nothing. Messages of a connection that is no longer the current one are dropped.
 */
final class StreamConnection {

    private final Vertx vertx;
    private final Clock clock;
    private final BinanceConfig config;
    private volatile WebSocket socket;
    private Heartbeat heartbeat;

    StreamConnection(Vertx vertx, Clock clock, BinanceConfig config) {
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Makes {@code s} the current connection: pinged every heartbeat ({@code onPong} on each answer), its messages
     * handed to {@code onText}, its close or silence reported to {@code lost}.
     */
    void attach(WebSocket s, Runnable onPong, Consumer<String> onText, BiConsumer<WebSocket, String> lost) {
        Heartbeat beat = Heartbeat.watch(vertx, s, clock, config.heartbeat(), config.idleTimeout(), onPong,
                () -> lost.accept(s, "nothing received for " + config.idleTimeout().toMillis() + " ms"));
        synchronized (this) {
            socket = s;
            heartbeat = beat;
        }
        s.textMessageHandler(text -> {
            // A replaced connection may still deliver what was in flight (its close takes a moment): ignored, it
            // would act on a book or a subscription that is no longer this stream's.
            if (socket != s) {
                return;
            }
            beat.received();
            onText.accept(text);
        });
        s.closeHandler(x -> lost.accept(s, "closed by the server"));
    }

    /**
     * Closes the connection {@code which} (null: an attempt to open one failed; closing one that is closed already
     * does nothing), and forgets it and stops its heartbeat, unless a later connection replaced it: false then, and
     * nothing else changes. The streams' {@code lost} starts with this, so whatever ends a connection closes it.
     */
    boolean drop(WebSocket which) {
        boolean current;
        synchronized (this) {
            current = which == null || socket == which;
            if (current) {
                socket = null;
                if (heartbeat != null) {
                    heartbeat.stop();
                    heartbeat = null;
                }
            }
        }
        // Closed once forgotten: the close this reports (closeHandler) then finds it replaced and changes nothing.
        if (which != null) {
            which.close();
        }
        return current;
    }

    synchronized boolean connected() {
        return socket != null;
    }

    /** Closes the current connection, if there is one (its close is reported to {@code lost} as usual). */
    void close() {
        WebSocket s;
        synchronized (this) {
            s = socket;
        }
        if (s != null) {
            s.close();
        }
    }
}
