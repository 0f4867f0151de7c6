package dev.tradeplane.engine.venue.binance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The Binance spot adapter ({@code tradeplane.binance.*}); off unless {@code enabled}. */
@ConfigMapping(prefix = "tradeplane.binance")
public interface BinanceConfig {

    /** Whether this engine trades on Binance. */
    @WithDefault("false")
    boolean enabled();

    /** The venue's name in instrument ids ({@code BTCUSDT.BINANCE}). */
    @WithDefault("BINANCE")
    String name();

    /** REST base URL: the spot testnet by default; {@code https://api.binance.com} for production. */
    @WithDefault("https://testnet.binance.vision")
    String baseUrl();

    /** WebSocket base URL of the market-data streams. */
    @WithDefault("wss://stream.testnet.binance.vision")
    String wsUrl();

    /**
     * The WebSocket API, where the user-data stream is subscribed ({@code userDataStream.subscribe.signature}):
     * {@code wss://ws-api.binance.com:443/ws-api/v3} for production.
     */
    @WithDefault("wss://ws-api.testnet.binance.vision/ws-api/v3")
    String wsApiUrl();

    /** API key (environment {@code BINANCE_API_KEY}). */
    Optional<String> apiKey();

    /** API secret, for HMAC-SHA256 signatures (environment {@code BINANCE_API_SECRET}); never logged. */
    Optional<String> apiSecret();

    /** Binance symbols traded ({@code BTCUSDT}); their tick, lot and minimum notional come from exchangeInfo. */
    @WithDefault("BTCUSDT,ETHUSDT")
    List<String> symbols();

    /** How long after its timestamp a signed request is still valid at Binance (at most 60 s). */
    @WithDefault("5s")
    Duration recvWindow();

    /** How long a REST call may take before its outcome is unknown. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Price levels of the REST depth snapshot (5, 10, 20, 50, 100, 500, 1000 or 5000). */
    @WithDefault("1000")
    int depthLimit();

    /** Fills are polled over REST this often while the user-data stream is down. */
    @WithDefault("2s")
    Duration pollInterval();

    /**
     * While the user-data stream is up, fills are polled this often too ({@code 0s}: never): where polling stands
     * follows the account, so the catch-up after a reconnection reads only the trades since the last poll, and a trade
     * whose push Binance never sent is caught within this time.
     */
    @WithDefault("5m")
    Duration pollWhileConnected();

    /** First wait before a lost WebSocket is reconnected; doubled each failed attempt. */
    @WithDefault("500ms")
    Duration reconnectMin();

    /** Longest wait between reconnection attempts. */
    @WithDefault("30s")
    Duration reconnectMax();

    /**
     * How often the market and user-data streams are pinged; every pong says the connection is alive. Keep it well
     * under {@code tradeplane.risk.breakers.stale-after}: the pongs are what keeps a quiet book fresh.
     */
    @WithDefault("3s")
    Duration heartbeat();

    /**
     * A stream on which nothing arrived (no message, no pong) for this long is taken for dead (a half-open
     * connection), closed and opened again.
     */
    @WithDefault("15s")
    Duration idleTimeout();

    /** How often the server-time offset is measured again. */
    @WithDefault("10m")
    Duration timeSyncInterval();
}
