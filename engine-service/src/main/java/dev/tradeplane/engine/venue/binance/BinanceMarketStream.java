package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.venue.BookLevels;
import dev.tradeplane.engine.venue.LastTrade;
import dev.tradeplane.engine.venue.MarketListener;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.TradeListener;
import dev.tradeplane.model.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Binance market data for the traded symbols over one combined WebSocket stream ({@code <symbol>@depth@100ms} and
 * {@code <symbol>@trade} each), non-blocking on the engine's Vert.x: a local L2 book per symbol kept in step by
 * {@link DepthSync} (REST snapshot, gap resynchronization), the last trade, and the touch reported to the engine as it
 * changes. The connection is pinged every {@code heartbeat}: each pong proves that everything Binance sent before it
 * has arrived, so it renews the touch time of every book in step (a quiet book that sends no diff is current, not
 * stale); a connection on which nothing arrives for {@code idle-timeout} is taken for dead, closed and opened again.
 * A lost connection is reconnected with {@link Backoff}, one Binance announces it will close ({@code serverShutdown})
 * at once; while a symbol's book is out of step its touch keeps the time
 * it was last in step, so its age grows and the engine's market-data breaker opens after
 * {@code tradeplane.risk.breakers.stale-after}. Only the answer to the latest snapshot request of a symbol is used.
 * Times are Binance's: a book is as old as the last event applied to it (its event time, on our clock through the
 * measured offset), so a stream that lags makes the book age even while messages and pongs keep arriving; a pong
 * renews a book only up to that lag.
 * Counts {@code market_data_resyncs_total{venue,symbol,reason}} and {@code market_data_reconnects_total{venue}}.
 */
public final class BinanceMarketStream {

    private static final Logger LOG = Logger.getLogger(BinanceMarketStream.class);
    /**
     * First wait before a snapshot is asked for again, doubled for each one in a row that did not bring the book in step
     * (longer when Binance said how long).
     */
    private static final long RETRY_MILLIS = 250;
    /** The longest a book waits for its next snapshot (one that keeps crossing, or snapshots that keep failing). */
    private static final long SNAPSHOT_WAIT_MAX_MILLIS = 30_000;

    /** One symbol's market: its book, whether a snapshot is being fetched, the last touch and trade. */
    private static final class SymbolMarket {
        final String symbol;
        final DepthSync sync = new DepthSync();
        boolean snapshotInFlight;
        /** Numbers the snapshot requests: only the answer to the latest is used. */
        long snapshotClaim;
        TopOfBook top;
        LastTrade lastTrade;
        /**
         * Resyncs for a crossed book, counted until it has stayed uncrossed for a minute: each waits longer before its
         * snapshot, so REST weight is not spent on a book that keeps crossing, even on and off.
         */
        int crossedInARow;
        Instant lastCrossed = Instant.EPOCH;
        /** Snapshots in a row that failed or did not bring the book in step: each next one waits longer. */
        int snapshotRetries;
        /** How late the last event of the symbol arrived (our clock against its event time): a pong renews up to it. */
        long lagMillis;

        SymbolMarket(String symbol) {
            this.symbol = symbol;
        }
    }

    private final String venue;
    private final Vertx vertx;
    private final BinanceConfig config;
    private final BinanceRest rest;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, SymbolMarket> markets = new ConcurrentHashMap<>();
    private final List<TradeListener> tradeListeners = new CopyOnWriteArrayList<>();
    private final Backoff backoff;
    private final WebSocketClient client;
    private volatile MarketListener marketListener = (v, s, t) -> { };
    private final StreamConnection connection;
    private volatile boolean stopped;

    public BinanceMarketStream(String venue, Vertx vertx, BinanceConfig config, BinanceRest rest, ObjectMapper mapper, Clock clock,
                               MeterRegistry registry) {
        this.venue = venue;
        this.vertx = vertx;
        this.config = config;
        this.rest = rest;
        this.mapper = mapper;
        this.clock = clock;
        this.registry = registry;
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax());
        this.connection = new StreamConnection(vertx, clock, config);
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(4 << 20));
        for (String symbol : config.symbols()) {
            markets.put(symbol, new SymbolMarket(symbol));
        }
    }

    public void setMarketListener(MarketListener listener) {
        this.marketListener = listener;
    }

    public void addTradeListener(TradeListener listener) {
        tradeListeners.add(listener);
    }

    /** Connects; reconnects by itself whenever the connection is lost, until {@link #stop()}. */
    public void start() {
        connect();
    }

    public void stop() {
        stopped = true;
        connection.close();
        client.close();
    }

    public boolean connected() {
        return connection.connected();
    }

    /** The touch of a symbol: the last one seen while its book was in step, with the time it was seen. */
    public Optional<TopOfBook> top(String symbol) {
        SymbolMarket m = markets.get(symbol);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            return Optional.ofNullable(m.top);
        }
    }

    /** The best levels of a symbol's book, while it is in step with Binance. */
    public Optional<BookLevels> book(String symbol, int levels) {
        SymbolMarket m = markets.get(symbol);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            return m.sync.synced() ? Optional.of(m.sync.book().levels(levels)) : Optional.empty();
        }
    }

    public Optional<LastTrade> lastTrade(String symbol) {
        SymbolMarket m = markets.get(symbol);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m) {
            return Optional.ofNullable(m.lastTrade);
        }
    }

    /** Whether the symbol's book is in step with Binance now. */
    public boolean synced(String symbol) {
        SymbolMarket m = markets.get(symbol);
        if (m == null) {
            return false;
        }
        synchronized (m) {
            return m.sync.synced();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void connect() {
        if (stopped) {
            return;
        }
        StringBuilder streams = new StringBuilder();
        for (String symbol : markets.keySet()) {
            String s = symbol.toLowerCase(Locale.ROOT);
            streams.append(streams.isEmpty() ? "" : "/").append(s).append("@depth@100ms/").append(s).append("@trade");
        }
        WebSocketConnectOptions options = BinanceRest.webSocket(config, "/stream?streams=" + streams);
        client.connect(options).onSuccess(s -> {
            LOG.infof("%s market data connected (%d symbols)", venue, markets.size());
            backoff.opened(clock.millis());
            connection.attach(s, this::alive, text -> onMessage(s, text), this::lost);
            s.exceptionHandler(e -> LOG.warnf("%s market data stream error: %s", venue, e.getMessage()));
            if (stopped) {
                s.close();
                return;
            }
            for (SymbolMarket m : markets.values()) {
                long claim;
                synchronized (m) {
                    claim = claimSnapshot(m);
                }
                if (claim > 0) {
                    fetchSnapshot(m, claim);
                }
            }
        }).onFailure(e -> lost(null, "connect to " + options.getHost() + ":" + options.getPort() + " failed: " + e.getMessage()));
    }

    /** A pong: everything sent before it has arrived, so every book in step is current now. */
    private void alive() {
        Instant now = clock.instant();
        for (SymbolMarket m : markets.values()) {
            synchronized (m) {
                renew(m, now);
            }
        }
    }

    /**
     * The touch is current as of {@code now}: renewed only while the book is in step and still has that touch (a book
     * left one-sided keeps the time of its last two-sided touch, so its age grows and the breaker sees it).
     */
    private static void renew(SymbolMarket m, Instant now) {
        if (!m.sync.synced() || m.top == null) {
            return;
        }
        Optional<TopOfBook> top = m.sync.book().top();
        Instant current = now.minusMillis(m.lagMillis);
        if (top.isPresent() && top.get().bid().compareTo(m.top.bid()) == 0 && top.get().ask().compareTo(m.top.ask()) == 0
                && current.isAfter(m.top.time())) {
            m.top = new TopOfBook(m.top.bid(), m.top.ask(), current, m.top.arrived());
        }
    }

    /**
     * When an event of the symbol happened, on our clock: Binance's event time less the measured offset, never later
     * than now (an offset measured a little off must not make data look fresher than it arrived). Records how late it
     * arrived.
     */
    private Instant eventTime(SymbolMarket m, JsonNode data, Instant now) {
        long event = data.path("E").asLong(0);
        if (event <= 0) {
            m.lagMillis = 0;
            return now;
        }
        long local = event - rest.offsetMillis();
        m.lagMillis = Math.max(0, now.toEpochMilli() - local);
        return now.minusMillis(m.lagMillis);
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
        for (SymbolMarket m : markets.values()) {
            synchronized (m) {
                m.sync.reset();
                m.snapshotInFlight = false;
                m.snapshotClaim++;
            }
        }
        if (stopped) {
            return;
        }
        var delay = atOnce ? backoff.announced(clock.millis()) : backoff.afterLoss(clock.millis());
        Counter.builder("market.data.reconnects").description("Market-data connections lost and opened again").tags("venue", venue)
                .register(registry).increment();
        LOG.warnf("%s market data lost (%s); reconnecting in %d ms", venue, why, delay.toMillis());
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> connect());
    }

    private void onMessage(WebSocket s, String text) {
        JsonNode message;
        try {
            message = mapper.readTree(text);
        } catch (IOException e) {
            LOG.warnf("%s market data: unreadable message dropped: %s", venue, e.getMessage());
            return;
        }
        JsonNode data = message.has("data") ? message.get("data") : message.has("event") ? message.get("event") : message;
        if ("serverShutdown".equals(data.path("e").asText())) {
            // Binance will close this connection soon: a new one now, rather than a gap at a moment of its choosing.
            lost(s, "Binance announced a server shutdown", true);
            return;
        }
        SymbolMarket m = markets.get(data.path("s").asText());
        if (m == null) {
            return;
        }
        switch (data.path("e").asText()) {
            case "depthUpdate" -> onDiff(m, data);
            case "trade" -> onTrade(m, data);
            default -> { }
        }
    }

    private void onDiff(SymbolMarket m, JsonNode data) {
        Instant now = clock.instant();
        TopOfBook changed = null;
        long claim;
        long crossedWait = 0;
        synchronized (m) {
            Instant at = eventTime(m, data, now);
            DepthSync.Diff diff = new DepthSync.Diff(data.path("U").asLong(), data.path("u").asLong(), BinanceJson.levels(data.path("b")),
                    BinanceJson.levels(data.path("a")), at);
            long before = m.sync.book().sequence();
            DepthSync.DiffResult result = m.sync.onDiff(diff);
            if (result == DepthSync.DiffResult.GAP) {
                resynced(m.symbol, "gap");
                LOG.warnf("%s %s depth gap: update %d does not follow %d; resynchronizing from a snapshot", venue, m.symbol,
                        diff.first(), before);
            }
            if (result == DepthSync.DiffResult.APPLIED && m.sync.book().crossed()) {
                crossedWait = crossed(m, now);
            } else if (result == DepthSync.DiffResult.APPLIED) {
                changed = touch(m, at, now);
            }
            claim = claimSnapshot(m);
        }
        publish(m.symbol, changed);
        if (claim > 0 && crossedWait > 0) {
            retrySnapshot(m, claim, crossedWait);
        } else if (claim > 0) {
            fetchSnapshot(m, claim);
        }
    }

    /**
     * Binance's book is never crossed: ours is out of step, whatever the update ids say. It is cleared and counted;
     * the wait before its snapshot, longer each time it crosses again within a minute, is answered.
     */
    private long crossed(SymbolMarket m, Instant now) {
        long at = m.sync.book().sequence();
        m.sync.reset();
        resynced(m.symbol, "crossed");
        if (java.time.Duration.between(m.lastCrossed, now).toSeconds() >= 60) {
            m.crossedInARow = 0;
        }
        m.lastCrossed = now;
        long wait = Math.min(SNAPSHOT_WAIT_MAX_MILLIS, RETRY_MILLIS << Math.min(m.crossedInARow++, 8));
        LOG.warnf("%s %s book crossed at update %d; resynchronizing from a snapshot in %d ms", venue, m.symbol, at, wait);
        return wait;
    }

    /** The new touch, if the book's best prices moved; the touch's time is renewed in any case. */
    private static TopOfBook touch(SymbolMarket m, Instant at, Instant arrived) {
        Optional<TopOfBook> top = m.sync.book().top();
        if (top.isEmpty()) {
            return null;
        }
        TopOfBook before = m.top;
        TopOfBook after = new TopOfBook(top.get().bid(), top.get().ask(), at, arrived);
        m.top = after;
        boolean moved = before == null || before.bid().compareTo(after.bid()) != 0 || before.ask().compareTo(after.ask()) != 0;
        return moved ? after : null;
    }

    /** Claims the symbol's next snapshot request when its book needs one and none is out: its number, else 0. */
    private static long claimSnapshot(SymbolMarket m) {
        if (m.sync.needsSnapshot() && !m.snapshotInFlight) {
            m.snapshotInFlight = true;
            return ++m.snapshotClaim;
        }
        return 0;
    }

    private void fetchSnapshot(SymbolMarket m, long claim) {
        int limit = config.depthLimit();
        int weight = limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
        rest.call(HttpMethod.GET, "/api/v3/depth", Map.of("symbol", m.symbol, "limit", Integer.toString(limit)), BinanceRest.Security.NONE,
                weight, 0).subscribe().with(body -> onSnapshot(m, claim, body), e -> {
                    long wait = snapshotRetryWait(m);
                    if (e instanceof dev.tradeplane.engine.venue.VenueFailure f && f.retryAfter().isPresent()) {
                        wait = Math.max(wait, f.retryAfter().get().toMillis());
                    }
                    LOG.warnf("%s %s depth snapshot failed: %s; trying again in %d ms", venue, m.symbol, e.getMessage(), wait);
                    retrySnapshot(m, claim, wait);
                });
    }

    /** The wait before the symbol's next snapshot after one that did not bring its book in step: doubling, capped. */
    private static long snapshotRetryWait(SymbolMarket m) {
        synchronized (m) {
            return Math.min(SNAPSHOT_WAIT_MAX_MILLIS, RETRY_MILLIS << Math.min(m.snapshotRetries++, 8));
        }
    }

    private void onSnapshot(SymbolMarket m, long claim, JsonNode body) {
        Instant now = clock.instant();
        DepthSync.Snapshot snapshot = new DepthSync.Snapshot(body.path("lastUpdateId").asLong(), BinanceJson.levels(body.path("bids")),
                BinanceJson.levels(body.path("asks")));
        TopOfBook changed = null;
        DepthSync.SnapshotResult result;
        long crossedWait = 0;
        long next = 0;
        synchronized (m) {
            if (claim != m.snapshotClaim) {
                return; // not the latest request (the connection was lost meanwhile): of no use
            }
            if (!connection.connected()) {
                m.snapshotInFlight = false; // no connection now: the next one claims a snapshot of its own
                return;
            }
            result = m.sync.onSnapshot(snapshot, now);
            if (result == DepthSync.SnapshotResult.SYNCED || result == DepthSync.SnapshotResult.IGNORED) {
                m.snapshotInFlight = false;
            }
            if (result == DepthSync.SnapshotResult.SYNCED && m.sync.book().crossed()) {
                // The snapshot and the diffs buffered after it make a crossed book: not in step after all.
                crossedWait = crossed(m, now);
                next = claimSnapshot(m);
            } else if (result == DepthSync.SnapshotResult.SYNCED) {
                m.snapshotRetries = 0;
                changed = touch(m, now, now);
                LOG.infof("%s %s book in step at update %d (%d levels)", venue, m.symbol, m.sync.book().sequence(), m.sync.book().depth());
            }
        }
        publish(m.symbol, changed);
        if (next > 0) {
            retrySnapshot(m, next, crossedWait);
        }
        if (result == DepthSync.SnapshotResult.TOO_OLD || result == DepthSync.SnapshotResult.GAP) {
            resynced(m.symbol, result == DepthSync.SnapshotResult.TOO_OLD ? "snapshot_too_old" : "gap");
            retrySnapshot(m, claim, snapshotRetryWait(m));
        }
    }

    /** Asks for a snapshot again in a moment, unless another request was claimed since (the claim stays held until then). */
    private void retrySnapshot(SymbolMarket m, long claim, long delayMillis) {
        vertx.setTimer(delayMillis, id -> {
            long next = 0;
            synchronized (m) {
                if (claim != m.snapshotClaim) {
                    return;
                }
                m.snapshotInFlight = false;
                if (connection.connected()) {
                    next = claimSnapshot(m);
                }
            }
            if (next > 0) {
                fetchSnapshot(m, next);
            }
        });
    }

    private void onTrade(SymbolMarket m, JsonNode data) {
        // The buyer is the maker: a seller took the bid.
        Side aggressor = data.path("m").asBoolean() ? Side.SELL : Side.BUY;
        LastTrade trade = new LastTrade(new BigDecimal(data.path("p").asText()).stripTrailingZeros(),
                new BigDecimal(data.path("q").asText()).stripTrailingZeros(), aggressor, Instant.ofEpochMilli(data.path("T").asLong()));
        synchronized (m) {
            m.lastTrade = trade;
            Instant now = clock.instant();
            eventTime(m, data, now);
            renew(m, now);
        }
        for (TradeListener l : tradeListeners) {
            l.onTrade(venue, m.symbol, trade);
        }
    }

    private void publish(String symbol, TopOfBook top) {
        if (top != null) {
            marketListener.onQuote(venue, symbol, top);
        }
    }

    private void resynced(String symbol, String reason) {
        Counter.builder("market.data.resyncs").description("Order books resynchronized from a snapshot after a gap")
                .tags("venue", venue, "symbol", symbol, "reason", reason).register(registry).increment();
    }
}
