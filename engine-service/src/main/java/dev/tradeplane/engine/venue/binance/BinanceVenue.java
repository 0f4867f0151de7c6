package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.venue.BookLevels;
import dev.tradeplane.engine.venue.CancelAck;
import dev.tradeplane.engine.venue.ExecutionListener;
import dev.tradeplane.engine.venue.LastTrade;
import dev.tradeplane.engine.venue.MarketListener;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.TradeListener;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.VenueOrderState;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.TimeInForce;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Binance spot as a venue. Orders go over the signed REST API ({@link BinanceRest}); fills of resting orders arrive
 * by push on the user-data stream ({@link BinanceUserStream}) and are polled over REST while it is down; the market
 * comes from the depth and trade streams ({@link BinanceMarketStream}). Each Binance trade is reported to the engine
 * exactly once, whichever way it arrives first: trades that come in an order's answer are not reported again when
 * their execution report follows, and reports that arrive while an order's request is still out wait for its answer.
 * Tick, lot and minimum notional come from exchangeInfo at start; the opening balances from the account.
 */
@Singleton
@LookupIfProperty(name = "tradeplane.binance.enabled", stringValue = "true")
public class BinanceVenue implements Venue {

    private static final Logger LOG = Logger.getLogger(BinanceVenue.class);
    /** What Binance accepts as a client order id. */
    private static final Pattern BINANCE_ID = Pattern.compile("[.A-Z:/a-z0-9_-]{1,36}");
    /** Trade ids remembered to report each trade once. */
    private static final int REMEMBERED_TRADES = 100_000;
    /**
     * Orders the adapter keeps its track of (the most recently used); an older one's is rebuilt from Binance when it
     * is needed again (see {@link #known}).
     */
    private static final int REMEMBERED_ORDERS = 50_000;
    /** Trades asked for per myTrades page when polling (Binance's most). */
    private static final int POLL_PAGE = 1000;
    /** Trades asked for per myTrades page of one order (Binance's most; its default is 500). */
    private static final int TRADES_PAGE = 1000;
    /** Weight of a myTrades request with {@code orderId} (20 without). */
    private static final int ORDER_TRADES_WEIGHT = 5;

    /**
     * What the adapter knows of one of our orders: as sent, its Binance order ids (one per replace), what was reported,
     * and how much each Binance order had executed by the latest word from Binance (an answer, a push, a query).
     */
    private static final class Track {
        VenueOrder order;
        final List<Long> binanceIds = new ArrayList<>();
        final Map<Long, BigDecimal> executed = new HashMap<>();
        final Map<Long, BigDecimal> original = new HashMap<>();
        /** What the order's trades add up to, each counted once (by trade id) however often it is read or reported. */
        BigDecimal reported = BigDecimal.ZERO;
        private final java.util.Set<String> counted = new java.util.HashSet<>();
        /** The same, per Binance order: what the trades counted of each add up to. */
        private final Map<Long, BigDecimal> countedOf = new HashMap<>();

        Track(VenueOrder order) {
            this.order = order;
        }

        synchronized void executed(long binanceId, BigDecimal quantity) {
            executed.merge(binanceId, quantity, BigDecimal::max);
        }

        /** Counts a trade of the order's Binance order {@code binanceId} towards {@link #reported}, once. */
        synchronized void count(VenueFill fill, long binanceId) {
            if (counted.add(fill.tradeId())) {
                reported = reported.add(fill.quantity());
                countedOf.merge(binanceId, fill.quantity(), BigDecimal::add);
            }
        }

        /**
         * The Binance orders of the order whose trades counted so far add up to less than Binance's latest word on what
         * each executed: trades the adapter has not read or been told of yet (myTrades may lag behind the matching
         * engine).
         */
        synchronized List<Long> behind() {
            List<Long> out = new ArrayList<>();
            for (long id : binanceIds) {
                if (executed.getOrDefault(id, BigDecimal.ZERO).compareTo(countedOf.getOrDefault(id, BigDecimal.ZERO)) > 0) {
                    out.add(id);
                }
            }
            return out;
        }

        synchronized boolean has(long binanceId) {
            return binanceIds.contains(binanceId);
        }

        synchronized void original(long binanceId, BigDecimal quantity) {
            original.put(binanceId, quantity);
        }

        /** The current Binance order's original quantity; null when not known. */
        synchronized BigDecimal currentOriginal() {
            return binanceIds.isEmpty() ? null : original.get(binanceIds.get(binanceIds.size() - 1));
        }

        /** What the current Binance order had executed by Binance's latest word. */
        synchronized BigDecimal currentExecuted() {
            return binanceIds.isEmpty() ? BigDecimal.ZERO : executed.getOrDefault(binanceIds.get(binanceIds.size() - 1), BigDecimal.ZERO);
        }
    }

    /**
     * A pushed report waiting for its order's request to be answered: a fill of the Binance order {@code binanceId}, or
     * (fill null) the end of that Binance order.
     */
    private record Parked(String symbol, VenueFill fill, boolean done, long binanceId, boolean expired, String why) {}

    private final BinanceConfig config;
    private final BinanceOrderIds orderIds;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final BinanceRest rest;
    private final RateLimits limits = new RateLimits();
    private final BinanceMarketStream market;
    private final BinanceUserStream user;
    private final Vertx vertx;
    private final Map<String, Track> tracks = bounded(REMEMBERED_ORDERS);
    private final Map<Long, String> byBinanceId = bounded(REMEMBERED_ORDERS);
    private final Map<String, String> ourIds = bounded(REMEMBERED_ORDERS);
    private final Map<String, List<Parked>> inFlight = new HashMap<>();
    private final Map<String, Boolean> reported = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TRADES;
        }
    };
    private final Map<String, Long> lastTradeIds = new ConcurrentHashMap<>();
    /** Symbols whose catch-up poll after a (re)connection of the user-data stream has not succeeded yet, by connection. */
    private final Map<String, Long> catchUpDue = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong catchUps = new java.util.concurrent.atomic.AtomicLong();
    /** When the last successful poll of each symbol's fills started (our clock, ms). */
    private final Map<String, Long> polledAt = new ConcurrentHashMap<>();
    /** Symbols whose fills are being polled now: one poll of a symbol at a time. */
    private final java.util.Set<String> polling = ConcurrentHashMap.newKeySet();
    private volatile List<Instrument> instruments = List.of();
    /** Symbols whose orders Binance lets us amend in place (exchangeInfo's {@code amendAllowed}). */
    private volatile java.util.Set<String> amendable = java.util.Set.of();
    private volatile Map<String, BigDecimal> opening = Map.of();
    private volatile ExecutionListener executions = (v, s, c, f, d) -> { };
    private long pollTimer = -1;
    private long timeTimer = -1;

    public BinanceVenue(BinanceConfig config, Vertx vertx, ObjectMapper mapper, Clock clock, MeterRegistry registry, BinanceOrderIds orderIds) {
        this.config = config;
        this.orderIds = orderIds;
        this.mapper = mapper;
        this.clock = clock;
        this.vertx = vertx;
        this.rest = new BinanceRest(vertx, config, mapper, clock, limits);
        this.market = new BinanceMarketStream(config.name(), vertx, config, rest, mapper, clock, registry);
        this.user = new BinanceUserStream(config.name(), vertx, config, rest, mapper, clock, this::onUserEvent, this::catchUpFills);
    }

    /** A thread-safe map that forgets its least recently used entries past {@code size}. */
    private static <K, V> Map<K, V> bounded(int size) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        });
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Empty until {@link #start()} has read the rules from exchangeInfo. */
    @Override
    public List<Instrument> instruments() {
        return instruments;
    }

    @Override
    public Map<String, BigDecimal> openingBalances() {
        return opening;
    }

    /**
     * Measures the server-time offset, reads the rules and rate limits from exchangeInfo (every configured symbol must
     * be there and trading), the opening balances from the account, where each symbol's trades stand, then opens the
     * market and user-data streams.
     */
    @Override
    public Uni<Void> start() {
        return rest.syncTime()
                .flatMap(x -> rest.call(HttpMethod.GET, "/api/v3/exchangeInfo", Map.of(), BinanceRest.Security.NONE, 20, 0))
                .invoke(this::readExchangeInfo)
                .flatMap(x -> rest.call(HttpMethod.GET, "/api/v3/account", Map.of(), BinanceRest.Security.SIGNED, 20, 0))
                .invoke(account -> opening = balancesOf(account))
                .flatMap(x -> latestTrades())
                .invoke(() -> {
                    market.start();
                    user.start();
                    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> {
                        if (!user.connected()) {
                            pollFills();
                        } else {
                            catchUpDue.keySet().forEach(this::pollFillsLogged);
                            pollWhileConnected();
                        }
                    });
                    timeTimer = vertx.setPeriodic(config.timeSyncInterval().toMillis(), id -> rest.syncTime().subscribe().with(ok -> { },
                            e -> LOG.warnf("%s server time not measured: %s", name(), e.getMessage())));
                    LOG.infof("%s venue started: %s at %s, clock offset %d ms", name(), config.symbols(), config.baseUrl(), rest.offsetMillis());
                });
    }

    @PreDestroy
    void stop() {
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
        if (timeTimer >= 0) {
            vertx.cancelTimer(timeTimer);
        }
        market.stop();
        user.stop();
        rest.close();
    }

    private void readExchangeInfo(JsonNode info) {
        int weight = 6000;
        int orders10s = 100;
        int ordersDay = 200_000;
        for (JsonNode limit : info.path("rateLimits")) {
            String type = limit.path("rateLimitType").asText();
            String interval = limit.path("interval").asText();
            int value = limit.path("limit").asInt();
            if ("REQUEST_WEIGHT".equals(type) && "MINUTE".equals(interval) && limit.path("intervalNum").asInt(1) == 1) {
                weight = value;
            } else if ("ORDERS".equals(type) && "SECOND".equals(interval) && limit.path("intervalNum").asInt() == 10) {
                orders10s = value;
            } else if ("ORDERS".equals(type) && "DAY".equals(interval)) {
                ordersDay = value;
            }
        }
        limits.limits(weight, orders10s, ordersDay);
        Map<String, JsonNode> bySymbol = new HashMap<>();
        info.path("symbols").forEach(s -> bySymbol.put(s.path("symbol").asText(), s));
        List<Instrument> out = new ArrayList<>();
        java.util.Set<String> amends = new java.util.HashSet<>();
        for (String symbol : config.symbols()) {
            JsonNode s = bySymbol.get(symbol);
            if (s == null || !"TRADING".equals(s.path("status").asText())) {
                throw new IllegalStateException(name() + ": " + symbol + (s == null ? " is not listed" : " is not trading (" + s.path("status").asText() + ")"));
            }
            BigDecimal tick = null;
            BigDecimal lot = null;
            BigDecimal minNotional = BigDecimal.ZERO;
            for (JsonNode f : s.path("filters")) {
                switch (f.path("filterType").asText()) {
                    case "PRICE_FILTER" -> tick = BinanceJson.decimal(f, "tickSize");
                    case "LOT_SIZE" -> lot = BinanceJson.decimal(f, "stepSize");
                    case "NOTIONAL", "MIN_NOTIONAL" -> minNotional = BinanceJson.decimal(f, "minNotional");
                    default -> { }
                }
            }
            if (tick == null || lot == null || tick.signum() <= 0 || lot.signum() <= 0) {
                throw new IllegalStateException(name() + ": " + symbol + " has no PRICE_FILTER or LOT_SIZE rule");
            }
            out.add(new Instrument(symbol + "." + name(), name(), s.path("baseAsset").asText(), s.path("quoteAsset").asText(), tick, lot,
                    minNotional));
            if (s.path("amendAllowed").asBoolean(false)) {
                amends.add(symbol);
            }
        }
        instruments = List.copyOf(out);
        amendable = java.util.Set.copyOf(amends);
    }

    private static Map<String, BigDecimal> balancesOf(JsonNode account) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (JsonNode b : account.path("balances")) {
            BigDecimal total = BinanceJson.decimal(b, "free").add(BinanceJson.decimal(b, "locked"));
            if (total.signum() != 0) {
                out.put(b.path("asset").asText(), total.stripTrailingZeros());
            }
        }
        return out;
    }

    /** Where each symbol's trades stand now, so that polling reports only later ones. */
    private Uni<Void> latestTrades() {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String symbol : config.symbols()) {
            chain = chain.flatMap(x -> rest.call(HttpMethod.GET, "/api/v3/myTrades", Map.of("symbol", symbol, "limit", "1"),
                    BinanceRest.Security.SIGNED, 20, 0)).invoke(trades -> {
                        for (JsonNode t : trades) {
                            lastTradeIds.merge(symbol, t.path("id").asLong(), Math::max);
                        }
                    }).replaceWithVoid();
        }
        return chain;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Market

    @Override
    public Optional<TopOfBook> topOfBook(String symbol) {
        return market.top(symbol);
    }

    @Override
    public Uni<Optional<BookLevels>> book(String symbol, int levels) {
        return Uni.createFrom().item(market.book(symbol, levels));
    }

    @Override
    public Optional<LastTrade> lastTrade(String symbol) {
        return market.lastTrade(symbol);
    }

    @Override
    public void setMarketListener(MarketListener listener) {
        market.setMarketListener(listener);
    }

    @Override
    public void addTradeListener(TradeListener listener) {
        market.addTradeListener(listener);
    }

    @Override
    public void setExecutionListener(ExecutionListener listener) {
        this.executions = listener;
    }

    /** The market-data stream, for diagnostics and tests. */
    public BinanceMarketStream market() {
        return market;
    }

    /** Whether fills arrive by push now (else they are polled). */
    public boolean userStreamConnected() {
        return user.connected();
    }

    /** The user-data stream's reconnection attempts that failed in a row (for tests). */
    int userStreamReconnectFailures() {
        return user.reconnectFailures();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Orders

    /**
     * The client order id Binance gets for ours: ours when Binance accepts it, else a fixed digest of it (Binance
     * allows 36 characters of {@code [.A-Z:/a-z0-9_-]}), so the same order always has the same id there.
     */
    static String binanceId(String ourId) {
        if (BINANCE_ID.matcher(ourId).matches()) {
            return ourId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ourId.getBytes(StandardCharsets.UTF_8));
            return "tp-" + HexFormat.of().formatHex(digest).substring(0, 33);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String venueClientId(String clientOrderId) {
        return binanceId(clientOrderId);
    }

    /**
     * Binance refuses a request it takes up later than its {@code timestamp} plus {@code recvWindow} (on its clock): a
     * request whose answer was lost may still execute until then. A second on top covers the request's time in our
     * client before it was signed and the error of the measured clock offset.
     */
    @Override
    public java.time.Duration lateActionWindow() {
        return config.recvWindow().plusSeconds(1);
    }

    private String idAtBinance(String ourId) {
        String id = binanceId(ourId);
        if (!id.equals(ourId)) {
            ourIds.put(id, ourId);
        }
        return id;
    }

    @Override
    public Uni<VenueAck> submit(VenueOrder order) {
        String id = idAtBinance(order.clientOrderId());
        Map<String, String> params = orderParams(order, order.quantity());
        params.put("newClientOrderId", id);
        params.put("newOrderRespType", "FULL");
        park(order.clientOrderId());
        tracks.computeIfAbsent(order.clientOrderId(), k -> new Track(order)).order = order;
        return rest.call(HttpMethod.POST, "/api/v3/order", params, BinanceRest.Security.SIGNED, 1, 1)
                .map(body -> {
                    Track track = tracks.get(order.clientOrderId());
                    remember(track, body.path("orderId").asLong(), order.clientOrderId());
                    track.executed(body.path("orderId").asLong(), BinanceJson.decimal(body, "executedQty"));
                    track.original(body.path("orderId").asLong(), order.quantity());
                    List<VenueFill> fills = BinanceJson.ackFills(order.symbol(), body, clock.instant());
                    claim(track, body.path("orderId").asLong(), fills);
                    String status = body.path("status").asText();
                    VenueAck.Outcome outcome = BinanceJson.working(status) ? VenueAck.Outcome.RESTING : VenueAck.Outcome.DONE;
                    return new VenueAck(body.path("orderId").asText(), outcome, fills, null, null);
                })
                .onFailure(BinanceVenue::definite).recoverWithItem(e -> {
                    BinanceException b = (BinanceException) e;
                    return VenueAck.rejected(BinanceErrors.reason(b), BinanceErrors.detail(b));
                })
                .onTermination().invoke(() -> release(order.clientOrderId()));
    }

    private static Map<String, String> orderParams(VenueOrder order, BigDecimal quantity) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", order.symbol());
        params.put("side", order.side().name());
        if (order.type() == OrderType.MARKET) {
            params.put("type", "MARKET");
        } else if (order.postOnly()) {
            params.put("type", "LIMIT_MAKER");
        } else {
            params.put("type", "LIMIT");
            TimeInForce tif = order.timeInForce() == null || order.timeInForce() == TimeInForce.GTD ? TimeInForce.GTC : order.timeInForce();
            params.put("timeInForce", tif.name());
        }
        params.put("quantity", quantity.toPlainString());
        if (order.type() != OrderType.MARKET) {
            params.put("price", order.price().toPlainString());
        }
        return params;
    }

    @Override
    public Uni<CancelAck> cancel(String symbol, String clientOrderId) {
        // Binance's report that it canceled the order waits for the answer: the engine is told the order ended only
        // once its trades are in (see ended).
        boolean parked = park(clientOrderId);
        return canceled(symbol, clientOrderId).onTermination().invoke(() -> {
            if (parked) {
                release(clientOrderId);
            }
        });
    }

    private Uni<CancelAck> canceled(String symbol, String clientOrderId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("origClientOrderId", idAtBinance(clientOrderId));
        return rest.cancel("/api/v3/order", params, 1).onItemOrFailure().transformToUni((body, failure) -> {
            if (failure == null) {
                CancelAck canceled = new CancelAck(CancelAck.Outcome.CANCELED,
                        BinanceJson.decimal(body, "origQty").subtract(BinanceJson.decimal(body, "executedQty")));
                Track track = tracks.get(clientOrderId);
                long binanceId = body.path("orderId").asLong();
                if (track == null) {
                    return actedOn(catchUp(symbol, clientOrderId, body).map(x -> canceled), "canceled");
                }
                // Canceled, the Binance order's executedQty is final: its trades must add up to it before the answer.
                track.executed(binanceId, BinanceJson.decimal(body, "executedQty"));
                if (!track.has(binanceId)) {
                    // A Binance order the adapter never heard of (the replacement of a replace whose answer was lost):
                    // it is the order's from now on, and the trades of every Binance order it has been are read.
                    remember(track, binanceId, clientOrderId);
                    track.original(binanceId, BinanceJson.decimal(body, "origQty"));
                    return actedOn(catchUpAll(symbol, clientOrderId).flatMap(x -> complete(symbol, clientOrderId, track, "canceled"))
                            .map(x -> canceled), "canceled");
                }
                return actedOn(catchUp(symbol, clientOrderId, body).flatMap(x -> complete(symbol, clientOrderId, track, "canceled"))
                        .map(x -> canceled), "canceled");
            }
            if (failure instanceof BinanceException b && (b.code() == -2011 || b.code() == -2013)) {
                return actedOn(endedAtBinance(symbol, clientOrderId, "no longer works").map(x -> CancelAck.unknown()), "no longer works");
            }
            return Uni.createFrom().failure(failure);
        });
    }

    /**
     * Nothing of the order works at Binance any more (it filled, or ended, before our request): what each of its
     * Binance orders executed is final, so its trades are read until they add up to it (see {@link #complete}) before
     * the engine is told the order ended. The latest Binance order's final executedQty is asked for
     * ({@code GET /api/v3/order}; the earlier ones' are known from their cancels).
     */
    private Uni<Void> endedAtBinance(String symbol, String clientOrderId, String what) {
        Track track = tracks.get(clientOrderId);
        if (track == null) {
            return Uni.createFrom().voidItem();
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("origClientOrderId", idAtBinance(clientOrderId));
        Uni<Void> latest = rest.call(HttpMethod.GET, "/api/v3/order", params, BinanceRest.Security.SIGNED, 4, 0, true)
                .invoke(order -> {
                    long binanceId = order.path("orderId").asLong();
                    if (BinanceJson.working(order.path("status").asText())) {
                        return; // placed since (a replacement whose request was out): it works on, and reports its own end
                    }
                    if (!track.has(binanceId)) {
                        remember(track, binanceId, clientOrderId);
                        track.original(binanceId, BinanceJson.decimal(order, "origQty"));
                    }
                    track.executed(binanceId, BinanceJson.decimal(order, "executedQty"));
                })
                .replaceWithVoid()
                .onFailure(e -> e instanceof BinanceException b && b.code() == -2013).recoverWithNull();
        return latest.flatMap(x -> catchUpAll(symbol, clientOrderId)).flatMap(x -> complete(symbol, clientOrderId, track, what));
    }

    /** How many times the trades of an ended order are read again while they fall short of what Binance executed. */
    private static final int TRADE_REREADS = 4;
    /** The wait before the first of those reads, doubled before each next one: 0.1 + 0.2 + 0.4 + 0.8 s in all. */
    private static final long TRADE_REREAD_WAIT_MILLIS = 100;

    /**
     * Before the engine is told that an order ended (its cancel answered, a replace answered UNKNOWN), the trades
     * reported for it must add up to what Binance says each of its Binance orders executed: myTrades may lag behind
     * the matching engine, and an order ended with a trade missing would have its rest placed anew (a chase) before
     * the trade arrives late, an overfill. Binance orders whose trades fall short are read again, {@value #TRADE_REREADS}
     * times at most with a doubling wait; still short, the call's outcome is unknown ({@link OutcomeUnknown}): the
     * engine keeps the order pending and settles it with Binance later.
     */
    private Uni<Void> complete(String symbol, String clientOrderId, Track track, String what) {
        return complete(symbol, clientOrderId, track, what, 0);
    }

    private Uni<Void> complete(String symbol, String clientOrderId, Track track, String what, int rereads) {
        // Pushed trades waiting for the answer are reported before it (see release): they count.
        synchronized (this) {
            for (Parked p : inFlight.getOrDefault(clientOrderId, List.of())) {
                if (p.fill() != null) {
                    track.count(p.fill(), p.binanceId());
                }
            }
        }
        List<Long> behind = track.behind();
        if (behind.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (rereads >= TRADE_REREADS) {
            return Uni.createFrom().failure(new OutcomeUnknown("Binance " + what + " the order, but the trades it shows of Binance order(s) "
                    + behind + " still add up to less than they executed; the order is settled with Binance later"));
        }
        Uni<Void> chain = later(TRADE_REREAD_WAIT_MILLIS << rereads);
        for (long id : behind) {
            chain = chain.flatMap(x -> trades(symbol, id, clientOrderId, true));
        }
        return chain.flatMap(x -> complete(symbol, clientOrderId, track, what, rereads + 1));
    }

    /** Completes after {@code millis}, on a Vert.x timer. */
    private Uni<Void> later(long millis) {
        return Uni.createFrom().emitter(e -> vertx.setTimer(Math.max(1, millis), id -> e.complete(null)));
    }

    /**
     * What follows a request Binance acted on (reading the order's trades, canceling a replacement too large): should
     * it fail, the outcome of the whole call is unknown, never "certainly not done", so the engine does not take the
     * order back as it was; reconciliation settles it with Binance.
     */
    private static <T> Uni<T> actedOn(Uni<T> followUp, String what) {
        return followUp.onFailure().transform(e -> e instanceof OutcomeUnknown ? e
                : new OutcomeUnknown("Binance " + what + " the order, but what followed failed: " + e.getMessage(), e));
    }

    /**
     * Changes the order at Binance in a way that can never make it add up to more than {@code quantity}, whatever
     * fills race the request:
     * <ul>
     * <li>a smaller quantity at the same price is an amend of the current Binance order
     * ({@code PUT /api/v3/order/amend/keepPriority}, where the symbol allows it): the same order, its fills included,
     * so it keeps its place in the queue and nothing can slip in between;</li>
     * <li>while nothing has filled, one {@code cancelReplace} with {@code cancelRestrictions=ONLY_NEW}: the cancel
     * succeeds only if the old order has executed nothing, so the replacement for {@code quantity} is exact;</li>
     * <li>once something has filled, the old order is canceled first ({@code DELETE /api/v3/order}) and the
     * replacement placed for what is left by the cancel's answer, whose {@code executedQty} is final: a fill on the old
     * order that had not reached the adapter is counted before the new order exists, so a replacement at a price that
     * takes at once cannot overfill. Between the two the order works nowhere for one round trip; should Binance refuse
     * the new order, the order ends (it keeps every fill).</li>
     * </ul>
     * What has filled before the current Binance order is the order's quantity until now ({@code before}) less the
     * current one's original quantity, since each Binance order is placed for the order's total less what had filled;
     * it stays exact when the adapter's track was rebuilt after a restart.
     */
    @Override
    public Uni<ReplaceAck> replace(String symbol, String clientOrderId, BigDecimal quantity, BigDecimal price, BigDecimal before,
                                   BigDecimal filled) {
        return known(symbol, clientOrderId).flatMap(track -> {
            if (track == null) {
                return Uni.createFrom().item(ReplaceAck.unknown());
            }
            VenueOrder old = track.order;
            VenueOrder wanted = new VenueOrder(old.clientOrderId(), symbol, old.side(), old.type(), old.timeInForce(), quantity,
                    price != null ? price : old.price(), old.postOnly());
            BigDecimal executedBefore = track.currentExecuted();
            BigDecimal originalQty = track.currentOriginal();
            BigDecimal earlierFills = before == null || originalQty == null ? BigDecimal.ZERO : before.subtract(originalQty).max(BigDecimal.ZERO);
            BigDecimal known = track.reported.max(filled == null ? BigDecimal.ZERO : filled).max(earlierFills.add(executedBefore));
            boolean samePrice = price == null || old.price() != null && price.compareTo(old.price()) == 0;
            Plan plan = new Plan(symbol, clientOrderId, track, wanted, known, executedBefore, earlierFills);
            if (samePrice && before != null && originalQty != null && quantity.compareTo(before) < 0 && amendable.contains(symbol)
                    && originalQty.subtract(before.subtract(quantity)).signum() > 0) {
                park(clientOrderId);
                return amend(plan, originalQty.subtract(before.subtract(quantity))).onTermination().invoke(() -> release(clientOrderId));
            }
            if (quantity.subtract(known).signum() <= 0) {
                return cancel(symbol, clientOrderId).map(c -> ReplaceAck.unknown());
            }
            park(clientOrderId);
            return (known.signum() == 0 ? cancelReplace(plan) : cancelThenPlace(plan)).onTermination().invoke(() -> release(clientOrderId));
        });
    }

    /**
     * A replace as the adapter plans it: the order wanted, what is known to have filled ({@code known}), what the
     * current Binance order had executed by Binance's latest word, and what the earlier ones filled.
     */
    private record Plan(String symbol, String clientOrderId, Track track, VenueOrder wanted, BigDecimal known, BigDecimal executedBefore,
                        BigDecimal earlierFills) {}

    /** Nothing has filled: one cancelReplace, whose cancel half succeeds only while the old order has executed nothing. */
    private Uni<ReplaceAck> cancelReplace(Plan plan) {
        String id = idAtBinance(plan.clientOrderId());
        Map<String, String> params = orderParams(plan.wanted(), plan.wanted().quantity().subtract(plan.known()));
        params.put("cancelReplaceMode", "STOP_ON_FAILURE");
        params.put("cancelOrigClientOrderId", id);
        params.put("newClientOrderId", id);
        params.put("newOrderRespType", "FULL");
        params.put("cancelRestrictions", "ONLY_NEW");
        return rest.call(HttpMethod.POST, "/api/v3/order/cancelReplace", params, BinanceRest.Security.SIGNED, 1, 1)
                .onItemOrFailure().transformToUni((body, failure) -> {
                    if (failure == null) {
                        return actedOn(replaced(plan.symbol(), plan.clientOrderId(), plan.track(), plan.wanted(), plan.known(),
                                plan.executedBefore(), body), "replaced");
                    }
                    return failure instanceof BinanceException b ? replaceFailed(plan.symbol(), plan.clientOrderId(), plan.track(), b)
                            : Uni.createFrom().failure(failure);
                });
    }

    /**
     * Something has filled: the old order is canceled first, its trades reported, and the replacement placed for the
     * order's quantity less what has filled by the cancel's final {@code executedQty}.
     */
    private Uni<ReplaceAck> cancelThenPlace(Plan plan) {
        String symbol = plan.symbol();
        String clientOrderId = plan.clientOrderId();
        Track track = plan.track();
        // The old order is not canceled unless its replacement may be sent right after: its place within the rate limits
        // is held from now until it is sent, so no other order can take it meanwhile (the order would end over it).
        RateLimits.Hold slot;
        try {
            slot = rest.reserve(1, 1);
        } catch (BinanceException held) {
            return Uni.createFrom().failure(held);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("origClientOrderId", idAtBinance(clientOrderId));
        return rest.cancel("/api/v3/order", params, 1).onItemOrFailure().transformToUni((body, failure) -> {
            if (failure != null) {
                if (failure instanceof BinanceException b && (b.code() == -2011 || b.code() == -2013)) {
                    // Filled, or ended, before the cancel: nothing of the order works at Binance.
                    return actedOn(endedAtBinance(symbol, clientOrderId, "no longer has").map(x -> ReplaceAck.unknown()), "no longer has");
                }
                // Refused (nothing done: the order is as it was) or unknown (the engine settles it with Binance).
                return Uni.createFrom().failure(failure);
            }
            long canceledId = body.path("orderId").asLong();
            BigDecimal executed = BinanceJson.decimal(body, "executedQty");
            remember(track, canceledId, clientOrderId);
            track.executed(canceledId, executed);
            return actedOn(trades(symbol, canceledId, clientOrderId, executed.signum() > 0), "canceled").flatMap(x -> {
                BigDecimal hasFilled = track.reported.max(plan.known()).max(plan.earlierFills().add(executed));
                BigDecimal left = plan.wanted().quantity().subtract(hasFilled);
                if (left.signum() <= 0) {
                    // Nothing left to place: the order ends, with every trade the canceled order made.
                    return actedOn(complete(symbol, clientOrderId, track, "canceled").map(y -> ReplaceAck.unknown()), "canceled");
                }
                return placeReplacement(plan, left, slot);
            });
        }).onTermination().invoke(() -> rest.release(slot));
    }

    /**
     * The new Binance order of a replace whose old one is canceled, sent on the place held for it within the rate
     * limits; refused, the order ends (UNKNOWN).
     */
    private Uni<ReplaceAck> placeReplacement(Plan plan, BigDecimal left, RateLimits.Hold slot) {
        String symbol = plan.symbol();
        String clientOrderId = plan.clientOrderId();
        Track track = plan.track();
        Map<String, String> params = orderParams(plan.wanted(), left);
        params.put("newClientOrderId", idAtBinance(clientOrderId));
        params.put("newOrderRespType", "FULL");
        return rest.call(HttpMethod.POST, "/api/v3/order", params, BinanceRest.Security.SIGNED, slot)
                .map(body -> {
                    long placedId = body.path("orderId").asLong();
                    remember(track, placedId, clientOrderId);
                    track.executed(placedId, BinanceJson.decimal(body, "executedQty"));
                    track.original(placedId, left);
                    track.order = plan.wanted();
                    List<VenueFill> fills = BinanceJson.ackFills(symbol, body, clock.instant());
                    claim(track, placedId, fills);
                    return new ReplaceAck(ReplaceAck.Outcome.REPLACED, fills, BinanceJson.working(body.path("status").asText()), null, null);
                })
                .onFailure(BinanceVenue::definite).recoverWithUni(e -> {
                    LOG.warnf("%s refused the replacement of %s after its old order was canceled (%s): the order ends", name(), clientOrderId,
                            e.getMessage());
                    return actedOn(complete(symbol, clientOrderId, track, "canceled").map(x -> ReplaceAck.unknown()), "canceled");
                });
    }

    /**
     * A smaller quantity at the same price: the current Binance order is amended to {@code newQty} (its own quantity,
     * fills included) and keeps its place in the queue. Trades it made that the engine has not had are reported before
     * the answer. An amend Binance refuses for a reason of its own (not allowed, too many amends) falls back to a
     * cancel and a new order.
     */
    private Uni<ReplaceAck> amend(Plan plan, BigDecimal newQty) {
        String symbol = plan.symbol();
        String clientOrderId = plan.clientOrderId();
        Track track = plan.track();
        String id = idAtBinance(clientOrderId);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("origClientOrderId", id);
        params.put("newClientOrderId", id);
        params.put("newQty", newQty.toPlainString());
        return rest.call(HttpMethod.PUT, "/api/v3/order/amend/keepPriority", params, BinanceRest.Security.SIGNED, 4, 0)
                .onItemOrFailure().transformToUni((body, failure) -> {
                    if (failure == null) {
                        JsonNode amended = body.path("amendedOrder");
                        long binanceId = amended.path("orderId").asLong();
                        BigDecimal executed = BinanceJson.decimal(amended, "executedQty");
                        boolean more = executed.compareTo(track.currentExecuted()) > 0;
                        remember(track, binanceId, clientOrderId);
                        track.executed(binanceId, executed);
                        track.original(binanceId, amended.has("qty") ? BinanceJson.decimal(amended, "qty") : newQty);
                        track.order = plan.wanted();
                        boolean resting = BinanceJson.working(amended.path("status").asText());
                        return actedOn(trades(symbol, binanceId, clientOrderId, more)
                                .map(x -> new ReplaceAck(ReplaceAck.Outcome.REPLACED, List.of(), resting, null, null)), "amended");
                    }
                    if (!(failure instanceof BinanceException b) || !b.definite()
                            || BinanceErrors.reason(b) == dev.tradeplane.model.RejectReason.VENUE_RATE_LIMIT) {
                        return Uni.createFrom().failure(failure);
                    }
                    String msg = b.binanceMessage() == null ? "" : b.binanceMessage().toLowerCase(java.util.Locale.ROOT);
                    if (b.code() == -2011 || b.code() == -2013 || msg.contains("unknown order")) {
                        return actedOn(endedAtBinance(symbol, clientOrderId, "no longer has").map(x -> ReplaceAck.unknown()), "no longer has");
                    }
                    LOG.infof("%s did not amend %s (%s); canceling it and placing the rest instead", name(), clientOrderId, failure.getMessage());
                    if (plan.wanted().quantity().subtract(plan.known()).signum() <= 0) {
                        return cancel(symbol, clientOrderId).map(c -> ReplaceAck.unknown());
                    }
                    return plan.known().signum() == 0 ? cancelReplace(plan) : cancelThenPlace(plan);
                });
    }

    private Uni<ReplaceAck> replaced(String symbol, String clientOrderId, Track track, VenueOrder wanted, BigDecimal known,
                                     BigDecimal executedBefore, JsonNode body) {
        JsonNode canceled = body.path("cancelResponse");
        JsonNode placed = body.path("newOrderResponse");
        BigDecimal oldExecuted = BinanceJson.decimal(canceled, "executedQty");
        boolean oldFilled = oldExecuted.signum() > 0;
        track.executed(canceled.path("orderId").asLong(), oldExecuted);
        // The replacement is the order's Binance order from now on, whatever follows.
        remember(track, placed.path("orderId").asLong(), clientOrderId);
        track.executed(placed.path("orderId").asLong(), BinanceJson.decimal(placed, "executedQty"));
        track.original(placed.path("orderId").asLong(), BinanceJson.decimal(placed, "origQty"));
        track.order = wanted;
        return trades(symbol, canceled.path("orderId").asLong(), clientOrderId, oldFilled).flatMap(x -> {
            List<VenueFill> fills = BinanceJson.ackFills(symbol, placed, clock.instant());
            BigDecimal open = BinanceJson.decimal(placed, "origQty").subtract(BinanceJson.decimal(placed, "executedQty"));
            BigDecimal filled = track.reported.max(known).add(fills.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add));
            if (oldExecuted.compareTo(executedBefore) > 0 || filled.add(open).compareTo(wanted.quantity()) > 0) {
                LOG.warnf("%s replace of %s raced a fill: the replacement is too large and is canceled", name(), clientOrderId);
                fills.forEach(f -> report(symbol, clientOrderId, f, false, false, placed.path("orderId").asLong()));
                return cancel(symbol, clientOrderId).map(c -> ReplaceAck.unknown());
            }
            claim(track, placed.path("orderId").asLong(), fills);
            boolean resting = BinanceJson.working(placed.path("status").asText());
            return Uni.createFrom().item(new ReplaceAck(ReplaceAck.Outcome.REPLACED, fills, resting, null, null));
        });
    }

    private Uni<ReplaceAck> replaceFailed(String symbol, String clientOrderId, Track track, BinanceException e) {
        if (!e.definite() || BinanceErrors.reason(e) == dev.tradeplane.model.RejectReason.VENUE_RATE_LIMIT) {
            // Unknown: the engine keeps the order pending. Rate-limited: nothing was done, and "retry later" is the answer.
            return Uni.createFrom().failure(e);
        }
        JsonNode data = dataOf(e);
        String cancelResult = data.path("cancelResult").asText("");
        if ("SUCCESS".equals(cancelResult)) {
            // The old order is canceled, its replacement refused: nothing of the order works at Binance now. The cancel's
            // executedQty is final: the trades must add up to it before the order ends.
            JsonNode canceled = data.path("cancelResponse");
            if (canceled.has("orderId") && canceled.has("executedQty")) {
                track.executed(canceled.path("orderId").asLong(), BinanceJson.decimal(canceled, "executedQty"));
            }
            return actedOn(catchUpAll(symbol, clientOrderId).flatMap(x -> complete(symbol, clientOrderId, track, "canceled"))
                    .map(x -> ReplaceAck.unknown()), "canceled");
        }
        int cancelCode = data.path("cancelResponse").path("code").asInt(0);
        if ("FAILURE".equals(cancelResult) && (cancelCode == -2011 || cancelCode == -2013)) {
            String msg = data.path("cancelResponse").path("msg").asText("");
            if (msg.toLowerCase(java.util.Locale.ROOT).contains("restriction")) {
                return actedOn(catchUpAll(symbol, clientOrderId).map(x -> ReplaceAck.rejected(dev.tradeplane.model.RejectReason.VENUE_ERROR,
                        "Binance: the order filled partly while it was being replaced; try again")), "partly filled");
            }
            return actedOn(endedAtBinance(symbol, clientOrderId, "no longer has").map(x -> ReplaceAck.unknown()), "no longer has");
        }
        return Uni.createFrom().item(ReplaceAck.rejected(BinanceErrors.reason(e), BinanceErrors.detail(e)));
    }

    private JsonNode dataOf(BinanceException e) {
        try {
            return e.body() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : mapper.readTree(e.body()).path("data");
        } catch (java.io.IOException ex) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    @Override
    public Uni<Optional<VenueOrderState>> query(String symbol, String clientOrderId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("origClientOrderId", idAtBinance(clientOrderId));
        return rest.call(HttpMethod.GET, "/api/v3/order", params, BinanceRest.Security.SIGNED, 4, 0)
                .flatMap(order -> {
                    boolean rebuilt = !tracks.containsKey(clientOrderId);
                    // A track rebuilt (after a restart) learns the earlier Binance orders from the database first.
                    Uni<List<Long>> earlier = rebuilt ? orderIds.of(symbol, clientOrderId) : Uni.createFrom().item(List.of());
                    return earlier.map(ids -> {
                        Track track = tracks.computeIfAbsent(clientOrderId, k -> new Track(orderOf(clientOrderId, order)));
                        long current = order.path("orderId").asLong();
                        ids.stream().filter(id -> id != current).forEach(id -> remember(track, id, clientOrderId, false));
                        remember(track, current, clientOrderId);
                        return track;
                    }).flatMap(track -> queried(symbol, clientOrderId, order, track));
                })
                .onFailure(e -> e instanceof BinanceException b && b.code() == -2013).recoverWithItem(Optional.empty());
    }

    /**
     * The order as Binance has it, with the trades of every Binance order it has been. An order that no longer works at
     * Binance is answered only once its trades add up to what its Binance orders executed (read again as
     * {@link #complete} does; still short, the query fails, its outcome unknown): the engine closes an order by this
     * answer, and must not close it with a trade missing.
     */
    private Uni<Optional<VenueOrderState>> queried(String symbol, String clientOrderId, JsonNode order, Track track) {
        track.executed(order.path("orderId").asLong(), BinanceJson.decimal(order, "executedQty"));
        track.original(order.path("orderId").asLong(), BinanceJson.decimal(order, "origQty"));
        boolean working = BinanceJson.working(order.path("status").asText());
        return queriedTrades(symbol, track, !working, 0).map(byOrder -> {
            List<VenueFill> trades = byOrder.values().stream().flatMap(List::stream).toList();
            BigDecimal filled = trades.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            // The order's total: what every Binance order it has been filled, and what the latest has open.
            return Optional.of(new VenueOrderState(clientOrderId, symbol, BinanceJson.side(order, "side"), working,
                    filled.add(BinanceJson.decimal(order, "origQty")).subtract(BinanceJson.decimal(order, "executedQty")), filled,
                    limitPrice(order), trades, Long.toString(order.path("orderId").asLong())));
        });
    }

    /**
     * Every trade of the order's Binance orders, each counted towards what has filled (once: a track rebuilt after a
     * restart starts from them, not from zero); {@code whole}: read again while they fall short of what Binance executed.
     */
    private Uni<Map<Long, List<VenueFill>>> queriedTrades(String symbol, Track track, boolean whole, int rereads) {
        return allTrades(symbol, track).flatMap(byOrder -> {
            byOrder.forEach((binanceId, fills) -> fills.forEach(f -> track.count(f, binanceId)));
            List<Long> behind = track.behind();
            if (!whole || behind.isEmpty()) {
                return Uni.createFrom().item(byOrder);
            }
            if (rereads >= TRADE_REREADS) {
                return Uni.createFrom().failure(new OutcomeUnknown("Binance has ended order " + track.order.clientOrderId()
                        + ", but the trades it shows of Binance order(s) " + behind + " still add up to less than they executed"));
            }
            return later(TRADE_REREAD_WAIT_MILLIS << rereads).flatMap(x -> queriedTrades(symbol, track, true, rereads + 1));
        });
    }

    @Override
    public Uni<List<VenueOrderState>> openOrders() {
        return rest.call(HttpMethod.GET, "/api/v3/openOrders", Map.of(), BinanceRest.Security.SIGNED, 80, 0).map(orders -> {
            List<VenueOrderState> out = new ArrayList<>();
            for (JsonNode o : orders) {
                out.add(new VenueOrderState(o.path("clientOrderId").asText(), o.path("symbol").asText(), BinanceJson.side(o, "side"), true,
                        BinanceJson.decimal(o, "origQty"), BinanceJson.decimal(o, "executedQty"), limitPrice(o), List.of(),
                        Long.toString(o.path("orderId").asLong())));
            }
            return out;
        });
    }

    @Override
    public Uni<Map<String, BigDecimal>> balances() {
        return rest.call(HttpMethod.GET, "/api/v3/account", Map.of(), BinanceRest.Security.SIGNED, 20, 0).map(BinanceVenue::balancesOf);
    }

    /** A Binance order's limit price; null for a market order (Binance says 0). */
    private static BigDecimal limitPrice(JsonNode o) {
        BigDecimal price = BinanceJson.decimal(o, "price");
        return price.signum() > 0 ? price : null;
    }

    private static VenueOrder orderOf(String clientOrderId, JsonNode o) {
        String type = o.path("type").asText();
        OrderType ours = "MARKET".equals(type) ? OrderType.MARKET : OrderType.LIMIT;
        TimeInForce tif = o.hasNonNull("timeInForce") ? TimeInForce.valueOf(o.path("timeInForce").asText()) : TimeInForce.GTC;
        return new VenueOrder(clientOrderId, o.path("symbol").asText(), BinanceJson.side(o, "side"), ours, tif, BinanceJson.decimal(o, "origQty"),
                BinanceJson.decimal(o, "price"), "LIMIT_MAKER".equals(type));
    }

    /** The adapter's track of an order, asking Binance when it has none (after a restart). */
    private Uni<Track> known(String symbol, String clientOrderId) {
        Track track = tracks.get(clientOrderId);
        if (track != null) {
            return Uni.createFrom().item(track);
        }
        return query(symbol, clientOrderId).map(found -> found.isPresent() ? tracks.get(clientOrderId) : null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fills: each Binance trade reported once

    /**
     * The order is (from now on) Binance's order {@code binanceId}: its latest, unless known already. Recorded in the
     * database too, so that a restarted adapter knows every Binance order the order has been.
     */
    private void remember(Track track, long binanceId, String clientOrderId) {
        remember(track, binanceId, clientOrderId, true);
    }

    private void remember(Track track, long binanceId, String clientOrderId, boolean record) {
        boolean added;
        synchronized (track) {
            added = !track.binanceIds.contains(binanceId);
            if (added) {
                track.binanceIds.add(binanceId);
            }
        }
        byBinanceId.put(binanceId, clientOrderId);
        if (added && record) {
            orderIds.save(track.order.symbol(), binanceId, clientOrderId).subscribe().with(ok -> { },
                    e -> LOG.warnf("%s order %s of %s not recorded (%s): after a restart its trades are read only while it is the latest",
                            name(), binanceId, clientOrderId, e.getMessage()));
        }
    }

    /**
     * Marks the fills of an answer of the Binance order {@code binanceId} reported (they go back in the answer) and
     * counts them to the order.
     */
    private void claim(Track track, long binanceId, List<VenueFill> fills) {
        synchronized (this) {
            for (VenueFill f : fills) {
                reported.put(f.tradeId(), Boolean.TRUE);
                track.count(f, binanceId);
            }
        }
    }

    /**
     * A request on the order goes out: pushed reports of it wait for its answer (see {@link #release}). False when one
     * is out already (a cancel a replace makes as its last step): that one's answer releases them.
     */
    private synchronized boolean park(String clientOrderId) {
        return inFlight.putIfAbsent(clientOrderId, new ArrayList<>()) == null;
    }

    /** The request on the order is answered: fills that arrived meanwhile and were not in the answer are reported now. */
    private void release(String clientOrderId) {
        List<Parked> waiting;
        synchronized (this) {
            waiting = inFlight.remove(clientOrderId);
        }
        if (waiting != null) {
            for (Parked p : waiting) {
                if (p.fill() != null) {
                    report(p.symbol(), clientOrderId, p.fill(), p.done(), false, p.binanceId());
                } else {
                    ended(p.symbol(), clientOrderId, p.binanceId(), p.expired(), p.why(), false);
                }
            }
        }
    }

    /**
     * Reports a fill of the Binance order {@code binanceId} to the engine unless it was already. A pushed one
     * ({@code mayWait}) that arrives while a request on its order is out waits for the answer, which may carry the same
     * trade; one the adapter fetched itself before answering goes at once, so the engine has it before the answer. It
     * counts towards what the order's track knows has filled either way (once).
     */
    private void report(String symbol, String clientOrderId, VenueFill fill, boolean done, boolean mayWait, long binanceId) {
        synchronized (this) {
            List<Parked> waiting = inFlight.get(clientOrderId);
            if (mayWait && waiting != null) {
                waiting.add(new Parked(symbol, fill, done, binanceId, false, null));
                return;
            }
            Track track = tracks.get(clientOrderId);
            if (track != null) {
                track.count(fill, binanceId);
            }
            if (reported.put(fill.tradeId(), Boolean.TRUE) != null) {
                return;
            }
        }
        executions.onFill(name(), symbol, clientOrderId, fill, done);
    }

    /**
     * An event of the user-data stream: each execution report of a trade is a fill; one that says the order was
     * canceled or expired without the engine asking ends it. Pushed trades do not move where polling stands: polling
     * starts where the last poll ended, so a trade pushed while another was missed is not skipped.
     */
    private void onUserEvent(JsonNode event) {
        if (!"executionReport".equals(event.path("e").asText())) {
            return;
        }
        String symbol = event.path("s").asText();
        String execution = event.path("x").asText();
        if ("CANCELED".equals(execution) || "EXPIRED".equals(execution) || "TRADE_PREVENTION".equals(execution)) {
            // A cancel names the canceled order in C (c is the cancel request's own id).
            String venueId = event.path("C").asText("").isEmpty() ? event.path("c").asText() : event.path("C").asText();
            String status = event.path("X").asText();
            Track endedFor = tracks.get(ourIds.getOrDefault(venueId, venueId));
            if (endedFor != null) {
                // Ended, the Binance order's cumulative executed quantity is final.
                endedFor.executed(event.path("i").asLong(), BinanceJson.decimal(event, "z"));
            }
            ended(symbol, ourIds.getOrDefault(venueId, venueId), event.path("i").asLong(), !"CANCELED".equals(status),
                    "Binance " + status.toLowerCase(java.util.Locale.ROOT) + " (" + execution + ", reason " + event.path("r").asText("NONE") + ")", true);
            return;
        }
        if (!"TRADE".equals(execution)) {
            return;
        }
        long tradeId = event.path("t").asLong();
        String venueId = event.path("c").asText();
        String ourId = ourIds.getOrDefault(venueId, venueId);
        byBinanceId.putIfAbsent(event.path("i").asLong(), ourId);
        Track pushedFor = tracks.get(ourId);
        if (pushedFor != null) {
            pushedFor.executed(event.path("i").asLong(), BinanceJson.decimal(event, "z"));
        }
        VenueFill fill = new VenueFill(BinanceJson.tradeId(symbol, tradeId), BinanceJson.decimal(event, "l"), BinanceJson.decimal(event, "L"),
                BinanceJson.decimal(event, "n"), event.path("N").asText(""), event.path("m").asBoolean() ? Liquidity.MAKER : Liquidity.TAKER,
                Instant.ofEpochMilli(event.path("T").asLong()));
        report(symbol, ourId, fill, !BinanceJson.working(event.path("X").asText()), true, event.path("i").asLong());
    }

    /**
     * The Binance order {@code binanceId} ended at Binance. Told to the engine when it is the order's current Binance
     * order (a cancel/replace ends the old one under the same client id) and no request on the order is out (its answer
     * settles it); a report that arrives while one is out waits for the answer, then is looked at again. As before any
     * answer that ends an order, the order's trades must add up to what Binance executed first ({@link #complete}):
     * should they not, the engine is not told, and settles the order with Binance later (reconciliation).
     */
    private void ended(String symbol, String clientOrderId, long binanceId, boolean expired, String why, boolean mayWait) {
        synchronized (this) {
            List<Parked> waiting = inFlight.get(clientOrderId);
            if (mayWait && waiting != null) {
                waiting.add(new Parked(symbol, null, false, binanceId, expired, why));
                return;
            }
        }
        Track track = tracks.get(clientOrderId);
        if (track == null) {
            return;
        }
        synchronized (track) {
            if (track.binanceIds.isEmpty() || track.binanceIds.get(track.binanceIds.size() - 1) != binanceId) {
                return;
            }
        }
        if (track.behind().isEmpty()) {
            executions.onEnded(name(), symbol, clientOrderId, expired, why);
            return;
        }
        complete(symbol, clientOrderId, track, "ended").subscribe().with(ok -> executions.onEnded(name(), symbol, clientOrderId, expired, why),
                e -> LOG.warnf("%s ended order %s, but its trades are not all in (%s): the engine settles it with Binance later", name(),
                        clientOrderId, e.getMessage()));
    }

    /** Reports the trades of one Binance order the engine has not had yet (before answering a cancel or replace). */
    private Uni<Void> trades(String symbol, long binanceId, String clientOrderId, boolean any) {
        if (!any) {
            return Uni.createFrom().voidItem();
        }
        return myTrades(symbol, binanceId).invoke(fills -> {
            for (VenueFill f : fills) {
                report(symbol, clientOrderId, f, false, false, binanceId);
            }
        }).replaceWithVoid();
    }

    /** Reports every trade of the order, under all its Binance ids, that the engine has not had yet. */
    private Uni<Void> catchUpAll(String symbol, String clientOrderId) {
        Track track = tracks.get(clientOrderId);
        if (track == null) {
            return Uni.createFrom().voidItem();
        }
        return allTrades(symbol, track).invoke(byOrder -> byOrder.forEach((binanceId, fills) -> {
            for (VenueFill f : fills) {
                report(symbol, clientOrderId, f, false, false, binanceId);
            }
        })).replaceWithVoid();
    }

    private Uni<Void> catchUp(String symbol, String clientOrderId, JsonNode order) {
        Track track = tracks.get(clientOrderId);
        BigDecimal executed = BinanceJson.decimal(order, "executedQty");
        if (track == null || executed.signum() == 0) {
            return Uni.createFrom().voidItem();
        }
        return trades(symbol, order.path("orderId").asLong(), clientOrderId, true);
    }

    /** The trades of every Binance order the order has been, by Binance order id (oldest first). */
    private Uni<Map<Long, List<VenueFill>>> allTrades(String symbol, Track track) {
        List<Long> ids;
        synchronized (track) {
            ids = List.copyOf(track.binanceIds);
        }
        Uni<Map<Long, List<VenueFill>>> chain = Uni.createFrom().item(new LinkedHashMap<>());
        for (long id : ids) {
            chain = chain.flatMap(acc -> myTrades(symbol, id).map(more -> {
                acc.put(id, more);
                return acc;
            }));
        }
        return chain;
    }

    /**
     * Every trade of one Binance order, oldest first: Binance answers at most {@value #TRADES_PAGE} a request, so they
     * are read page by page ({@code orderId} with {@code fromId}, weight 5 each) until a page comes back short. Read to
     * complete a cancel or replace Binance has done, they are not held back by the adapter's weight count (only by a
     * back-off Binance asked for), like the cancel itself.
     */
    private Uni<List<VenueFill>> myTrades(String symbol, long binanceId) {
        return myTrades(symbol, binanceId, 0, new ArrayList<>());
    }

    private Uni<List<VenueFill>> myTrades(String symbol, long binanceId, long fromId, List<VenueFill> acc) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("orderId", Long.toString(binanceId));
        params.put("fromId", Long.toString(fromId));
        params.put("limit", Integer.toString(TRADES_PAGE));
        return rest.call(HttpMethod.GET, "/api/v3/myTrades", params, BinanceRest.Security.SIGNED, ORDER_TRADES_WEIGHT, 0, true)
                .flatMap(trades -> {
                    long next = fromId;
                    for (JsonNode t : trades) {
                        acc.add(BinanceJson.myTrade(t));
                        next = Math.max(next, t.path("id").asLong() + 1);
                    }
                    return trades.size() < TRADES_PAGE ? Uni.createFrom().item(acc) : myTrades(symbol, binanceId, next, acc);
                });
    }

    /**
     * The REST fallback while the user-data stream is down, and the catch-up each time it (re)connects: the account's
     * trades of each symbol since the last one polled, page by page, each reported once to its order (whose status
     * says whether it is done). Trades already reported (pushed, or in an answer) only move where polling stands.
     */
    void pollFills() {
        config.symbols().forEach(this::pollFillsLogged);
    }

    /**
     * The user-data stream (re)connected: each symbol's fills are polled until one poll started now has succeeded (one
     * that fails, Binance busy or refusing, is tried again every {@code poll-interval}), so what happened while the
     * stream was down is not left to the next time it drops.
     */
    private void catchUpFills() {
        long generation = catchUps.incrementAndGet();
        config.symbols().forEach(symbol -> catchUpDue.put(symbol, generation));
        pollFills();
    }

    /**
     * While the stream is up, each symbol whose last poll started {@code poll-while-connected} ago or more is polled
     * again: pushed trades do not move where polling stands, so without it a reconnection after a day up would read
     * the whole day's trades again (weight 20 a page) in one go.
     */
    private void pollWhileConnected() {
        long every = config.pollWhileConnected().toMillis();
        if (every <= 0) {
            return;
        }
        long now = clock.millis();
        for (String symbol : config.symbols()) {
            if (now - polledAt.computeIfAbsent(symbol, s -> now) >= every) {
                pollFillsLogged(symbol);
            }
        }
    }

    /** Where polling of the symbol's fills stands: the last trade id it has seen (for tests). */
    long pollCursor(String symbol) {
        return lastTradeIds.getOrDefault(symbol, -1L);
    }

    /** Polls the symbol's fills unless a poll of it is still out (it is tried again at the next {@code poll-interval}). */
    private void pollFillsLogged(String symbol) {
        if (!polling.add(symbol)) {
            return;
        }
        Long due = catchUpDue.get(symbol);
        long started = clock.millis();
        pollFills(symbol).onTermination().invoke(() -> polling.remove(symbol)).subscribe().with(ok -> {
            polledAt.merge(symbol, started, Math::max);
            if (due != null) {
                catchUpDue.remove(symbol, due);
            }
        }, e -> LOG.warnf("%s fills of %s not polled: %s", name(), symbol, e.getMessage()));
    }

    private Uni<Void> pollFills(String symbol) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("fromId", Long.toString(lastTradeIds.getOrDefault(symbol, -1L) + 1));
        params.put("limit", Integer.toString(POLL_PAGE));
        return rest.call(HttpMethod.GET, "/api/v3/myTrades", params, BinanceRest.Security.SIGNED, 20, 0)
                .flatMap(trades -> reportPolled(symbol, trades).flatMap(x -> trades.size() >= POLL_PAGE ? pollFills(symbol)
                        : Uni.createFrom().voidItem()));
    }

    private Uni<Void> reportPolled(String symbol, JsonNode trades) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (JsonNode t : trades) {
            long binanceId = t.path("orderId").asLong();
            VenueFill fill = BinanceJson.myTrade(t);
            boolean known;
            synchronized (this) {
                known = reported.containsKey(fill.tradeId());
            }
            if (known) {
                chain = chain.invoke(() -> lastTradeIds.merge(symbol, t.path("id").asLong(), Math::max));
                continue;
            }
            chain = chain.flatMap(x -> orderStatus(symbol, binanceId)).invoke(order -> {
                String venueId = order.path("clientOrderId").asText();
                String ourId = byBinanceId.getOrDefault(binanceId, ourIds.getOrDefault(venueId, venueId));
                Track polledFor = tracks.get(ourId);
                if (polledFor != null) {
                    polledFor.executed(binanceId, BinanceJson.decimal(order, "executedQty"));
                }
                lastTradeIds.merge(symbol, t.path("id").asLong(), Math::max);
                report(symbol, ourId, fill, !BinanceJson.working(order.path("status").asText()), true, binanceId);
            }).replaceWithVoid();
        }
        return chain;
    }

    private Uni<JsonNode> orderStatus(String symbol, long binanceId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", symbol);
        params.put("orderId", Long.toString(binanceId));
        return rest.call(HttpMethod.GET, "/api/v3/order", params, BinanceRest.Security.SIGNED, 4, 0);
    }

    private static boolean definite(Throwable e) {
        return e instanceof BinanceException b && b.definite();
    }
}
