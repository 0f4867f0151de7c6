package dev.tradeplane.fakebinance;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local fake of Binance spot for the adapter's tests: the REST API (signatures and timestamps checked as Binance
 * does, rate-limit headers, scripted errors) and the WebSocket streams (combined depth and trade streams with real
 * update ids) and the WebSocket API's user-data subscriptions ({@code userDataStream.subscribe.signature}, signature and
 * timestamp checked; execution reports as its events), over one Vert.x server on a free loopback port. Its book is
 * scripted price levels ({@link #setLevel}); our orders take from it at once or rest (outside the scripted depth) until
 * a scripted market trade reaches them ({@link #trade}). Fees: taker 0.1%, maker 0.08%, in the quote asset.
 * Every method is synchronized: tests script it from their own thread while the server answers on its own.
 */
public final class FakeBinance implements AutoCloseable {

    public static final String API_KEY = "fake-api-key";
    public static final String SECRET = "fake-api-secret";
    private static final String DISABLE_WEBSOCKETS = "vertx.disableWebsockets";
    private static final BigDecimal TAKER_FEE = new BigDecimal("0.001");
    private static final BigDecimal MAKER_FEE = new BigDecimal("0.0008");

    /** A listed symbol, its rules and its scripted book. */
    private static final class Sym {
        final String name;
        final String base;
        final String quote;
        final BigDecimal tick;
        final BigDecimal step;
        final BigDecimal minNotional;
        final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
        final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
        long updateId = 1000;
        long tradeId = 5000;
        int snapshots;

        Sym(String name, String base, String quote, BigDecimal tick, BigDecimal step, BigDecimal minNotional) {
            this.name = name;
            this.base = base;
            this.quote = quote;
            this.tick = tick;
            this.step = step;
            this.minNotional = minNotional;
        }
    }

    /** One of our orders at the fake. */
    private static final class Ord {
        long id;
        String clientId;
        Sym sym;
        String side;
        String type;
        String tif;
        BigDecimal price;
        BigDecimal qty;
        BigDecimal executed = BigDecimal.ZERO;
        BigDecimal cumQuote = BigDecimal.ZERO;
        String status = "NEW";
        long time;
        long update;

        boolean open() {
            return "NEW".equals(status) || "PARTIALLY_FILLED".equals(status);
        }

        BigDecimal left() {
            return qty.subtract(executed);
        }

        boolean buy() {
            return "BUY".equals(side);
        }
    }

    /**
     * A scripted error answer; {@code path} null: of whatever request comes next. {@code executeAfterMillis} null: the
     * request is not carried out (a refusal); 0: it is carried out, then answered with the error (Binance's "execution
     * status unknown"); more: it is answered with the error at once and carried out that much later (a request stuck
     * in Binance's backend, executed after its sender gave up).
     */
    private record Failure(String path, int status, int code, String msg, Integer retryAfter, Long executeAfterMillis) {

        Failure(String path, int status, int code, String msg, Integer retryAfter) {
            this(path, status, code, msg, retryAfter, null);
        }
    }

    /** A refusal answered as Binance does. */
    private static final class Refused extends RuntimeException {
        final int status;
        final JsonObject body;

        Refused(int status, int code, String msg) {
            this(status, new JsonObject().put("code", code).put("msg", msg));
        }

        Refused(int status, JsonObject body) {
            super(body.encode(), null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private HttpServer server;
    private final Map<String, Sym> symbols = new LinkedHashMap<>();
    private final List<Ord> orders = new ArrayList<>();
    private final List<JsonObject> trades = new ArrayList<>();
    /** Trades myTrades does not list yet, by trade id: how many more of its answers that would list them leave them out. */
    private final Map<Long, Integer> hiddenReads = new HashMap<>();
    private int myTradesLagReads;
    /** The request to hold ("METHOD /path"), and the one held, to carry out on release. */
    private String holdNext;
    private Runnable held;
    private final Map<String, BigDecimal> free = new HashMap<>();
    private final Map<String, BigDecimal> locked = new HashMap<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final Deque<Failure> subscriptionFailures = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<ServerWebSocket, Set<String>> marketSockets = new LinkedHashMap<>();
    /** WebSocket API connections, and the id of each one's active user-data subscription (null: none). */
    private final Map<ServerWebSocket, Integer> userSockets = new LinkedHashMap<>();
    /** Subscriptions made on each WebSocket API connection so far (their ids count from 0 per connection). */
    private final Map<ServerWebSocket, Integer> subscriptionsMade = new HashMap<>();
    private int subscriptions;
    private long nextOrderId = 1;
    /** How far behind Binance's clock its market streams run (their events' times), as when a stream lags. */
    private long marketLagMillis;
    private long offsetMillis;
    private boolean push = true;
    private boolean refuseUser;
    private boolean refuseMarket;
    private int marketConnections;
    private long weight;
    private long weightMinute;
    private long orders10s;
    private long window10s;
    private long ordersDay;

    private FakeBinance() {
    }

    /** Listens on 127.0.0.1 (a free port) with BTCUSDT listed, 100000 USDT and no BTC. */
    public static FakeBinance start() {
        FakeBinance fake = new FakeBinance();
        fake.listSymbol("BTCUSDT", "BTC", "USDT", new BigDecimal("0.01"), new BigDecimal("0.00001"), new BigDecimal("5"));
        fake.free.put("USDT", new BigDecimal("100000"));
        fake.free.put("BTC", BigDecimal.ZERO);
        // A Quarkus application started earlier in this JVM (a test's) sets vertx.disableWebsockets, which Vert.x reads
        // once when its HTTP server class is first loaded: the fake needs WebSockets, so the setting is lifted meanwhile.
        String disabled = System.clearProperty(DISABLE_WEBSOCKETS);
        try {
            fake.server = fake.vertx.createHttpServer().webSocketHandler(fake::onWebSocket).requestHandler(fake::onRequest)
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            fake.vertx.close();
            throw new IllegalStateException("the fake Binance did not start", e);
        } finally {
            if (disabled != null) {
                System.setProperty(DISABLE_WEBSOCKETS, disabled);
            }
        }
        return fake;
    }

    public int port() {
        return server.actualPort();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The base URL of the market-data streams. */
    public String wsUrl() {
        return "ws://127.0.0.1:" + port();
    }

    /** The WebSocket API's URL, where user-data subscriptions are made. */
    public String wsApiUrl() {
        return wsUrl() + "/ws-api/v3";
    }

    @Override
    public void close() {
        vertx.close();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scripting

    public synchronized void listSymbol(String symbol, String base, String quote, BigDecimal tick, BigDecimal step, BigDecimal minNotional) {
        symbols.put(symbol, new Sym(symbol, base, quote, tick, step, minNotional));
    }

    /** Sets a level of the scripted book ({@code quantity} 0 removes it) and sends the depth diff. */
    public synchronized void setLevel(String symbol, boolean bid, BigDecimal price, BigDecimal quantity) {
        Sym s = sym(symbol);
        level(s, bid, price, quantity);
    }

    /** Moves the update id on by {@code n} without sending anything: the next diff shows a gap. */
    public synchronized void skipSequence(String symbol, int n) {
        sym(symbol).updateId += n;
    }

    public synchronized long lastUpdateId(String symbol) {
        return sym(symbol).updateId;
    }

    public synchronized int snapshotRequests(String symbol) {
        return sym(symbol).snapshots;
    }

    /**
     * Prints a market trade and fills our resting orders it reaches: when the buyer is the maker (a seller hit the
     * bids) our buys at or above the price, else our sells at or below it, best price then oldest first, at our price.
     */
    public synchronized void trade(String symbol, BigDecimal price, BigDecimal quantity, boolean buyerIsMaker) {
        Sym s = sym(symbol);
        long id = ++s.tradeId;
        broadcast(s, "trade", new JsonObject().put("e", "trade").put("E", now() - marketLagMillis).put("s", s.name).put("t", id)
                .put("p", price.toPlainString()).put("q", quantity.toPlainString()).put("T", now() - marketLagMillis).put("m", buyerIsMaker).put("M", true));
        List<Ord> reached = new ArrayList<>(orders.stream().filter(o -> o.sym == s && o.open() && o.buy() == buyerIsMaker
                && (o.buy() ? o.price.compareTo(price) >= 0 : o.price.compareTo(price) <= 0)).toList());
        reached.sort((a, b) -> a.buy() ? b.price.compareTo(a.price) : a.price.compareTo(b.price));
        BigDecimal left = quantity;
        for (Ord o : reached) {
            if (left.signum() <= 0) {
                break;
            }
            BigDecimal q = left.min(o.left());
            fill(o, q, o.price, true);
            left = left.subtract(q);
        }
    }

    /** From now on, the market streams' events are {@code lag} old when sent (a lagging stream); zero: current. */
    public synchronized void lagMarketStreams(Duration lag) {
        marketLagMillis = lag.toMillis();
    }

    public synchronized void setBalance(String asset, BigDecimal amount) {
        free.put(asset, amount);
    }

    /** Free plus locked, per asset. */
    public synchronized Map<String, BigDecimal> balances() {
        Map<String, BigDecimal> out = new HashMap<>(free);
        locked.forEach((a, v) -> out.merge(a, v, BigDecimal::add));
        return out;
    }

    /** The next REST request (but /api/v3/time and /api/v3/ping) gets this answer; queued in order. */
    public synchronized void failNext(int httpStatus, int code, String msg, Integer retryAfterSeconds) {
        failures.addLast(new Failure(null, httpStatus, code, msg, retryAfterSeconds));
    }

    /** The next REST request to {@code path} gets this answer; queued in order with {@link #failNext}. */
    public synchronized void failNextOn(String path, int httpStatus, int code, String msg) {
        failures.addLast(new Failure(path, httpStatus, code, msg, null));
    }

    /**
     * The next REST request to {@code path} is carried out, then answered with this error instead of its result (as
     * Binance's -1006/-1007 "execution status unknown" may be).
     */
    public synchronized void failNextAfterExecuting(String path, int httpStatus, int code, String msg) {
        failures.addLast(new Failure(path, httpStatus, code, msg, null, 0L));
    }

    /**
     * The next REST request to {@code path} is answered with this error at once and carried out {@code later} (a
     * request Binance's backend executes after its sender has had a timeout).
     */
    public synchronized void failNextThenExecuteLater(String path, int httpStatus, int code, String msg, Duration later) {
        failures.addLast(new Failure(path, httpStatus, code, msg, null, Math.max(1, later.toMillis())));
    }

    /**
     * myTrades lags behind the matching engine (its data comes from a database that follows it): each trade made from
     * now on is missing from the next {@code reads} myTrades answers that would list it, and so is every later one in
     * those answers (the history ends before it). Orders, their answers and execution reports know it at once. 0: trades
     * made from now on are listed at once (those made before stay missing for their remaining reads; see
     * {@link #catchUpMyTrades()}).
     */
    public synchronized void lagMyTrades(int reads) {
        myTradesLagReads = Math.max(0, reads);
    }

    /** myTrades catches up: every trade is listed from now on. */
    public synchronized void catchUpMyTrades() {
        myTradesLagReads = 0;
        hiddenReads.clear();
    }

    /** Sets how many orders the account has placed today (the {@code X-MBX-ORDER-COUNT-1D} count); returns the count before. */
    public synchronized long ordersPlacedToday(long count) {
        long before = ordersDay;
        ordersDay = count;
        return before;
    }

    /**
     * The next REST request {@code "METHOD /path"} is neither carried out nor answered until {@link #releaseHeld()}: a
     * request that takes its time at Binance, while others are answered.
     */
    public synchronized void holdNext(String methodAndPath) {
        holdNext = methodAndPath;
    }

    /** Whether a request {@link #holdNext held} has arrived and waits. */
    public synchronized boolean holding() {
        return held != null;
    }

    /** The request held is carried out and answered now. */
    public synchronized void releaseHeld() {
        Runnable go = held;
        held = null;
        if (go != null) {
            go.run();
        }
    }

    /** Binance's clock runs this far from ours. */
    public synchronized void clockOffset(Duration offset) {
        offsetMillis = offset.toMillis();
    }

    /** Off: the user-data stream stays open but says nothing. */
    public synchronized void pushExecutionReports(boolean on) {
        push = on;
    }

    /** On: WebSocket API handshakes are refused, so no user-data subscription can be made (the adapter must poll). */
    public synchronized void refuseUserStreams(boolean on) {
        refuseUser = on;
    }

    /** On: market-data WebSocket handshakes are refused (the adapter's book goes stale). */
    public synchronized void refuseMarketStreams(boolean on) {
        refuseMarket = on;
    }

    public synchronized void dropMarketStreams() {
        new ArrayList<>(marketSockets.keySet()).forEach(ServerWebSocket::close);
        marketSockets.clear();
    }

    /**
     * The market-data connections go silent without closing (a half-open connection): nothing more is sent on them and
     * nothing read from them, so the adapter's pings go unanswered. New connections work as usual.
     */
    public synchronized void freezeMarketStreams() {
        for (ServerWebSocket ws : new ArrayList<>(marketSockets.keySet())) {
            ws.pause();
            marketSockets.remove(ws);
        }
    }

    /** Closes the WebSocket API connections (and so their user-data subscriptions). */
    public synchronized void dropUserStreams() {
        new ArrayList<>(userSockets.keySet()).forEach(ServerWebSocket::close);
        userSockets.clear();
    }

    /**
     * Ends every user-data subscription as Binance does, with an {@code eventStreamTerminated} event, and leaves the
     * connections open: nothing more is pushed on them.
     */
    public synchronized void terminateUserStreams() {
        userSockets.replaceAll((ws, subscription) -> {
            if (subscription != null) {
                ws.writeTextMessage(new JsonObject().put("subscriptionId", subscription)
                        .put("event", new JsonObject().put("e", "eventStreamTerminated").put("E", now())).encode());
            }
            return null;
        });
    }

    /**
     * The next user-data subscription request gets this error answer (a 429 or 418 asks to wait a second); queued in
     * order.
     */
    public synchronized void failNextSubscription(int status, int code, String msg) {
        subscriptionFailures.addLast(new Failure(null, status, code, msg, null));
    }

    /**
     * Sends Binance's {@code serverShutdown} event on every market-data and WebSocket API connection, and leaves them
     * open (Binance closes them some minutes later).
     */
    public synchronized void announceShutdown() {
        String event = new JsonObject().put("event", new JsonObject().put("e", "serverShutdown").put("E", now())).encode();
        marketSockets.keySet().forEach(ws -> ws.writeTextMessage(event));
        userSockets.keySet().forEach(ws -> ws.writeTextMessage(event));
    }

    /** User-data subscriptions acknowledged so far. */
    public synchronized int subscriptions() {
        return subscriptions;
    }

    /** WebSocket API connections with an active user-data subscription. */
    public synchronized int subscribedConnections() {
        return (int) userSockets.values().stream().filter(java.util.Objects::nonNull).count();
    }

    public synchronized int marketConnections() {
        return marketConnections;
    }

    /** "METHOD /path" of every REST request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<JsonObject> orders() {
        return orders.stream().map(o -> orderJson(o, false)).toList();
    }

    /** The latest order with this client order id. */
    public synchronized Optional<JsonObject> order(String clientOrderId) {
        for (int i = orders.size() - 1; i >= 0; i--) {
            if (orders.get(i).clientId.equals(clientOrderId)) {
                return Optional.of(orderJson(orders.get(i), false));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // REST

    private synchronized void onRequest(HttpServerRequest req) {
        req.body().onSuccess(body -> answer(req, body.toString()));
    }

    private synchronized void answer(HttpServerRequest req, String body) {
        String path = req.path();
        if ((req.method().name() + " " + path).equals(holdNext)) {
            holdNext = null;
            io.vertx.core.Context context = vertx.getOrCreateContext();
            held = () -> context.runOnContext(x -> answer(req, body));
            return;
        }
        requests.add(req.method().name() + " " + path);
        int status = 200;
        Object json;
        try {
            Failure f = path.equals("/api/v3/time") || path.equals("/api/v3/ping") ? null
                    : failures.stream().filter(x -> x.path() == null || x.path().equals(path)).findFirst().orElse(null);
            Map<String, String> p = params(req.query(), body);
            if (f != null) {
                failures.remove(f);
                if (f.retryAfter() != null) {
                    req.response().putHeader("Retry-After", f.retryAfter().toString());
                }
                if (f.executeAfterMillis() != null && f.executeAfterMillis() == 0) {
                    route(req, path, p);
                } else if (f.executeAfterMillis() != null) {
                    vertx.setTimer(f.executeAfterMillis(), id -> late(req, path, p));
                }
                throw new Refused(f.status(), f.code(), f.msg());
            }
            json = route(req, path, p);
        } catch (Refused r) {
            status = r.status;
            json = r.body;
        }
        long minute = now() / 60_000;
        if (minute != weightMinute) {
            weightMinute = minute;
            weight = 0;
        }
        weight += weightOf(path, req.params().contains("orderId"));
        req.response().putHeader("X-MBX-USED-WEIGHT-1M", Long.toString(weight));
        if (path.equals("/api/v3/order") && req.method().name().equals("POST") || path.equals("/api/v3/order/cancelReplace")) {
            req.response().putHeader("X-MBX-ORDER-COUNT-10S", Long.toString(orders10s)).putHeader("X-MBX-ORDER-COUNT-1D", Long.toString(ordersDay));
        }
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(json instanceof JsonArray a ? a.encode() : ((JsonObject) json).encode());
    }

    /** Carries out a request whose sender was answered with an error long ago; its own refusal goes nowhere. */
    private synchronized void late(HttpServerRequest req, String path, Map<String, String> p) {
        try {
            route(req, path, p);
        } catch (Refused ignored) {
            // Nobody waits for this answer any more.
        }
    }

    private Object route(HttpServerRequest req, String path, Map<String, String> p) {
        String method = req.method().name();
        switch (method + " " + path) {
            case "GET /api/v3/ping":
                return new JsonObject();
            case "GET /api/v3/time":
                return new JsonObject().put("serverTime", now());
            case "GET /api/v3/exchangeInfo":
                return exchangeInfo();
            case "GET /api/v3/depth":
                return depth(sym(p, "symbol"), Integer.parseInt(p.getOrDefault("limit", "100")));
            default:
                break;
        }
        apiKey(req);
        signed(req, p);
        return switch (method + " " + path) {
            case "POST /api/v3/order" -> orderJson(place(p, p.get("newClientOrderId")), true);
            case "DELETE /api/v3/order" -> orderJson(cancel(find(p, "origClientOrderId")), false);
            case "GET /api/v3/order" -> orderJson(find(p, "origClientOrderId").orElseThrow(() -> new Refused(400, -2013, "Order does not exist.")), false);
            case "POST /api/v3/order/cancelReplace" -> cancelReplace(p);
            case "PUT /api/v3/order/amend/keepPriority" -> amend(p);
            case "GET /api/v3/openOrders" -> new JsonArray(orders.stream().filter(Ord::open)
                    .filter(o -> !p.containsKey("symbol") || o.sym.name.equals(p.get("symbol"))).map(o -> (Object) orderJson(o, false)).toList());
            case "GET /api/v3/account" -> account();
            case "GET /api/v3/myTrades" -> myTrades(p);
            default -> throw new Refused(404, -1000, "Unknown endpoint");
        };
    }

    private static int weightOf(String path, boolean byOrder) {
        return switch (path) {
            case "/api/v3/depth" -> 5;
            case "/api/v3/myTrades" -> byOrder ? 5 : 20;
            case "/api/v3/exchangeInfo", "/api/v3/account" -> 20;
            case "/api/v3/openOrders" -> 6;
            case "/api/v3/order/amend/keepPriority" -> 4;
            default -> 1;
        };
    }

    private void apiKey(HttpServerRequest req) {
        if (!API_KEY.equals(req.getHeader("X-MBX-APIKEY"))) {
            throw new Refused(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }
    }

    /** Binance's SIGNED rules: the signature (last parameter of the query string) over what precedes it, the timestamp within recvWindow. */
    private void signed(HttpServerRequest req, Map<String, String> p) {
        String query = req.query() == null ? "" : req.query();
        int at = query.lastIndexOf("&signature=");
        if (at < 0 || !p.containsKey("signature")) {
            throw new Refused(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
        }
        String timestamp = p.get("timestamp");
        signedAt(query.substring(0, at), p.get("signature"), Long.parseLong(p.getOrDefault("recvWindow", "5000")),
                timestamp == null || timestamp.isEmpty() ? null : Long.valueOf(timestamp));
    }

    /** The rules both APIs share: the signature is the payload's, the timestamp (required) within recvWindow. */
    private void signedAt(String payload, String signature, long window, Long timestamp) {
        if (!hmac(payload).equals(signature)) {
            throw new Refused(400, -1022, "Signature for this request is not valid.");
        }
        if (window > 60_000) {
            throw new Refused(400, -1131, "recvWindow must be less than 60000.");
        }
        if (timestamp == null) {
            throw new Refused(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
        }
        long server = now();
        if (timestamp < server - window || timestamp > server + 1000) {
            throw new Refused(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        }
    }

    /**
     * A WebSocket API request's SIGNED rules: the API key, the signature over {@code name=value&...} of every other
     * parameter sorted by name, the timestamp within recvWindow.
     */
    private void signed(JsonObject params) {
        if (!API_KEY.equals(params.getString("apiKey"))) {
            throw new Refused(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }
        Object signature = params.getValue("signature");
        if (!(signature instanceof String)) {
            throw new Refused(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
        }
        StringBuilder payload = new StringBuilder();
        new TreeMap<>(params.getMap()).forEach((k, v) -> {
            if (!k.equals("signature")) {
                payload.append(payload.isEmpty() ? "" : "&").append(k).append('=').append(v);
            }
        });
        signedAt(payload.toString(), (String) signature, params.getLong("recvWindow", 5000L), params.getLong("timestamp"));
    }

    private JsonObject exchangeInfo() {
        JsonArray list = new JsonArray();
        for (Sym s : symbols.values()) {
            list.add(new JsonObject().put("symbol", s.name).put("status", "TRADING").put("baseAsset", s.base).put("quoteAsset", s.quote)
                    .put("cancelReplaceAllowed", true).put("amendAllowed", true)
                    .put("baseAssetPrecision", 8).put("quoteAssetPrecision", 8).put("orderTypes", new JsonArray().add("LIMIT").add("LIMIT_MAKER").add("MARKET"))
                    .put("filters", new JsonArray()
                            .add(new JsonObject().put("filterType", "PRICE_FILTER").put("minPrice", s.tick.toPlainString()).put("maxPrice", "1000000.00")
                                    .put("tickSize", s.tick.toPlainString()))
                            .add(new JsonObject().put("filterType", "LOT_SIZE").put("minQty", s.step.toPlainString()).put("maxQty", "9000.00000")
                                    .put("stepSize", s.step.toPlainString()))
                            .add(new JsonObject().put("filterType", "NOTIONAL").put("minNotional", s.minNotional.toPlainString())
                                    .put("applyMinToMarket", true).put("maxNotional", "9000000.00").put("applyMaxToMarket", false).put("avgPriceMins", 5))));
        }
        JsonArray limits = new JsonArray()
                .add(new JsonObject().put("rateLimitType", "REQUEST_WEIGHT").put("interval", "MINUTE").put("intervalNum", 1).put("limit", 6000))
                .add(new JsonObject().put("rateLimitType", "ORDERS").put("interval", "SECOND").put("intervalNum", 10).put("limit", 100))
                .add(new JsonObject().put("rateLimitType", "ORDERS").put("interval", "DAY").put("intervalNum", 1).put("limit", 200000));
        return new JsonObject().put("timezone", "UTC").put("serverTime", now()).put("rateLimits", limits).put("symbols", list);
    }

    private JsonObject depth(Sym s, int limit) {
        s.snapshots++;
        return new JsonObject().put("lastUpdateId", s.updateId).put("bids", levels(s.bids, limit)).put("asks", levels(s.asks, limit));
    }

    private static JsonArray levels(NavigableMap<BigDecimal, BigDecimal> side, int limit) {
        JsonArray out = new JsonArray();
        side.entrySet().stream().limit(limit).forEach(e -> out.add(new JsonArray().add(e.getKey().toPlainString()).add(e.getValue().toPlainString())));
        return out;
    }

    private JsonObject account() {
        JsonArray list = new JsonArray();
        Set<String> assets = new HashSet<>(free.keySet());
        assets.addAll(locked.keySet());
        for (String a : assets) {
            list.add(new JsonObject().put("asset", a).put("free", plain(free.getOrDefault(a, BigDecimal.ZERO)))
                    .put("locked", plain(locked.getOrDefault(a, BigDecimal.ZERO))));
        }
        return new JsonObject().put("makerCommission", 8).put("takerCommission", 10).put("canTrade", true).put("canWithdraw", true)
                .put("canDeposit", true).put("updateTime", now()).put("accountType", "SPOT").put("balances", list)
                .put("permissions", new JsonArray().add("SPOT"));
    }

    private JsonArray myTrades(Map<String, String> p) {
        String symbol = required(p, "symbol");
        Long orderId = p.containsKey("orderId") ? Long.parseLong(p.get("orderId")) : null;
        long fromId = Long.parseLong(p.getOrDefault("fromId", "0"));
        List<JsonObject> found = trades.stream().filter(t -> t.getString("symbol").equals(symbol))
                .filter(t -> orderId == null || t.getLong("orderId") == orderId.longValue()).filter(t -> t.getLong("id") >= fromId).toList();
        // A lagging trade history ends before the first trade it does not have yet; each answer brings that closer.
        int shown = found.size();
        for (int i = 0; i < found.size(); i++) {
            Integer hidden = hiddenReads.get(found.get(i).getLong("id"));
            if (hidden != null) {
                shown = Math.min(shown, i);
                if (hidden <= 1) {
                    hiddenReads.remove(found.get(i).getLong("id"));
                } else {
                    hiddenReads.put(found.get(i).getLong("id"), hidden - 1);
                }
            }
        }
        found = found.subList(0, shown);
        int limit = Math.min(1000, Integer.parseInt(p.getOrDefault("limit", "500")));
        if (!p.containsKey("fromId")) {
            found = found.subList(Math.max(0, found.size() - limit), found.size());
        } else {
            found = found.subList(0, Math.min(limit, found.size()));
        }
        return new JsonArray(new ArrayList<>(found));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Orders

    private Ord place(Map<String, String> p, String clientId) {
        Sym s = sym(p, "symbol");
        Ord o = new Ord();
        o.clientId = clientId != null ? clientId : "fake-" + UUID.randomUUID().toString().substring(0, 12);
        o.sym = s;
        o.side = required(p, "side");
        o.type = required(p, "type");
        o.qty = new BigDecimal(required(p, "quantity"));
        o.tif = o.type.equals("LIMIT") ? required(p, "timeInForce") : o.type.equals("LIMIT_MAKER") ? "GTC" : "GTC";
        o.price = o.type.equals("MARKET") ? BigDecimal.ZERO : new BigDecimal(required(p, "price"));
        if (o.price.signum() > 0 && o.price.remainder(s.tick).signum() != 0) {
            throw new Refused(400, -1013, "Filter failure: PRICE_FILTER");
        }
        if (o.qty.remainder(s.step).signum() != 0 || o.qty.compareTo(s.step) < 0) {
            throw new Refused(400, -1013, "Filter failure: LOT_SIZE");
        }
        NavigableMap<BigDecimal, BigDecimal> opposite = o.buy() ? s.asks : s.bids;
        BigDecimal reference = o.type.equals("MARKET") ? (opposite.isEmpty() ? BigDecimal.ZERO : opposite.firstKey()) : o.price;
        if (reference.multiply(o.qty).compareTo(s.minNotional) < 0) {
            throw new Refused(400, -1013, "Filter failure: NOTIONAL");
        }
        if (orders.stream().anyMatch(x -> x.open() && x.clientId.equals(o.clientId))) {
            throw new Refused(400, -2010, "Duplicate order sent.");
        }
        boolean crosses = !opposite.isEmpty() && (o.type.equals("MARKET") || (o.buy() ? opposite.firstKey().compareTo(o.price) <= 0
                : opposite.firstKey().compareTo(o.price) >= 0));
        if (o.type.equals("LIMIT_MAKER") && crosses) {
            throw new Refused(400, -2010, "Order would immediately match and take.");
        }
        BigDecimal needed = o.buy() ? reference.multiply(o.qty) : o.qty;
        if (free.getOrDefault(o.buy() ? s.quote : s.base, BigDecimal.ZERO).compareTo(needed) < 0) {
            throw new Refused(400, -2010, "Account has insufficient balance for requested action.");
        }
        o.id = nextOrderId++;
        o.time = now();
        o.update = o.time;
        orders.add(o);
        countOrder();
        report(o, "NEW", null, null, null, -1, false);
        takeLiquidity(o, opposite);
        if (o.left().signum() > 0) {
            if (o.type.equals("MARKET") || o.tif.equals("IOC") || o.tif.equals("FOK")) {
                o.status = "EXPIRED";
                report(o, "EXPIRED", null, null, null, -1, false);
            } else {
                lock(o, o.left());
            }
        }
        return o;
    }

    /** Our order takes the scripted levels it reaches, best first (all or nothing for FOK). */
    private void takeLiquidity(Ord o, NavigableMap<BigDecimal, BigDecimal> opposite) {
        if (o.tif.equals("FOK")) {
            BigDecimal available = opposite.entrySet().stream().filter(e -> reaches(o, e.getKey())).map(Map.Entry::getValue)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (available.compareTo(o.qty) < 0) {
                return;
            }
        }
        while (o.left().signum() > 0 && !opposite.isEmpty() && reaches(o, opposite.firstKey())) {
            BigDecimal price = opposite.firstKey();
            BigDecimal q = o.left().min(opposite.firstEntry().getValue());
            level(o.sym, !o.buy(), price, opposite.get(price).subtract(q));
            fill(o, q, price, false);
        }
    }

    private static boolean reaches(Ord o, BigDecimal level) {
        return o.type.equals("MARKET") || (o.buy() ? level.compareTo(o.price) <= 0 : level.compareTo(o.price) >= 0);
    }

    /** One trade of our order: its record, the balances, the execution report. */
    private void fill(Ord o, BigDecimal q, BigDecimal price, boolean maker) {
        Sym s = o.sym;
        BigDecimal notional = q.multiply(price);
        BigDecimal fee = notional.multiply(maker ? MAKER_FEE : TAKER_FEE).setScale(8, RoundingMode.HALF_UP);
        if (maker) {
            unlock(o, q);
        }
        if (o.buy()) {
            add(free, s.base, q);
            add(free, s.quote, notional.negate().subtract(fee));
        } else {
            add(free, s.base, q.negate());
            add(free, s.quote, notional.subtract(fee));
        }
        o.executed = o.executed.add(q);
        o.cumQuote = o.cumQuote.add(notional);
        o.status = o.left().signum() == 0 ? "FILLED" : "PARTIALLY_FILLED";
        o.update = now();
        long id = ++s.tradeId;
        trades.add(new JsonObject().put("symbol", s.name).put("id", id).put("orderId", o.id).put("orderListId", -1).put("price", plain(price))
                .put("qty", plain(q)).put("quoteQty", plain(notional)).put("commission", plain(fee)).put("commissionAsset", s.quote)
                .put("time", o.update).put("isBuyer", o.buy()).put("isMaker", maker).put("isBestMatch", true));
        if (myTradesLagReads > 0) {
            hiddenReads.put(id, myTradesLagReads);
        }
        report(o, "TRADE", q, price, fee, id, maker);
    }

    private Ord cancel(Optional<Ord> found) {
        Ord o = found.filter(Ord::open).orElseThrow(() -> new Refused(400, -2011, "Unknown order sent."));
        unlock(o, o.left());
        o.status = "CANCELED";
        o.update = now();
        report(o, "CANCELED", null, null, null, -1, false);
        return o;
    }

    /**
     * Cancels a working order as someone else would (by hand on the exchange): the execution report names the order
     * in {@code C} and carries a cancel id of its own in {@code c}, as Binance's do.
     */
    public synchronized void cancelFromOutside(String clientOrderId) {
        Ord o = find(Map.of("origClientOrderId", clientOrderId), "origClientOrderId").filter(Ord::open)
                .orElseThrow(() -> new IllegalArgumentException("no working order " + clientOrderId));
        unlock(o, o.left());
        o.status = "CANCELED";
        o.update = now();
        cancelId = "web_" + o.id;
        try {
            report(o, "CANCELED", null, null, null, -1, false);
        } finally {
            cancelId = null;
        }
    }

    private JsonObject cancelReplace(Map<String, String> p) {
        Optional<Ord> old = find(p, "cancelOrigClientOrderId");
        JsonObject canceled;
        try {
            if ("ONLY_NEW".equals(p.get("cancelRestrictions")) && old.filter(Ord::open).filter(o -> !"NEW".equals(o.status)).isPresent()) {
                throw new Refused(400, -2011, "Order was not canceled due to cancel restrictions.");
            }
            canceled = orderJson(cancel(old), false);
        } catch (Refused r) {
            throw new Refused(400, new JsonObject().put("code", -2021).put("msg", "Order cancel-replace failed.").put("data", new JsonObject()
                    .put("cancelResult", "FAILURE").put("newOrderResult", "NOT_ATTEMPTED").put("cancelResponse", r.body).putNull("newOrderResponse")));
        }
        try {
            JsonObject placed = orderJson(place(p, p.get("newClientOrderId")), true);
            return new JsonObject().put("cancelResult", "SUCCESS").put("newOrderResult", "SUCCESS").put("cancelResponse", canceled)
                    .put("newOrderResponse", placed);
        } catch (Refused r) {
            throw new Refused(409, new JsonObject().put("code", -2021).put("msg", "Order cancel-replace partially failed.").put("data", new JsonObject()
                    .put("cancelResult", "SUCCESS").put("newOrderResult", "FAILURE").put("cancelResponse", canceled).put("newOrderResponse", r.body)));
        }
    }

    /**
     * Order Amend Keep Priority: the working order's quantity is lowered in place (its fills count in it); it keeps
     * its id and its place. A quantity at or below what it has executed ends it (EXPIRED).
     */
    private JsonObject amend(Map<String, String> p) {
        Ord o = find(p, "origClientOrderId").filter(Ord::open).orElseThrow(() -> new Refused(400, -2038, "Unknown order sent."));
        BigDecimal newQty = new BigDecimal(required(p, "newQty"));
        if (newQty.signum() <= 0 || newQty.compareTo(o.qty) > 0) {
            throw new Refused(400, -2038, "Order amend (quantity increase) is not supported.");
        }
        if (newQty.compareTo(o.qty) == 0) {
            throw new Refused(400, -2038, "The requested action would change no state; rejecting");
        }
        BigDecimal before = o.left();
        o.qty = newQty.max(o.executed);
        unlock(o, before.subtract(o.left()));
        if (o.left().signum() == 0) {
            o.status = o.executed.compareTo(newQty) == 0 ? "FILLED" : "EXPIRED";
        }
        if (p.containsKey("newClientOrderId")) {
            o.clientId = p.get("newClientOrderId");
        }
        o.update = now();
        amends++;
        report(o, "REPLACED", null, null, null, -1, false);
        JsonObject amended = orderJson(o, false);
        amended.put("qty", amended.getString("origQty"));
        return new JsonObject().put("transactTime", o.update).put("executionId", amends).put("amendedOrder", amended);
    }

    private long amends;

    private Optional<Ord> find(Map<String, String> p, String clientIdParam) {
        String clientId = p.get(clientIdParam);
        String orderId = p.get("orderId");
        for (int i = orders.size() - 1; i >= 0; i--) {
            Ord o = orders.get(i);
            if (clientId != null ? o.clientId.equals(clientId) : orderId != null && o.id == Long.parseLong(orderId)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private void lock(Ord o, BigDecimal q) {
        String asset = o.buy() ? o.sym.quote : o.sym.base;
        BigDecimal amount = o.buy() ? q.multiply(o.price) : q;
        add(free, asset, amount.negate());
        add(locked, asset, amount);
    }

    private void unlock(Ord o, BigDecimal q) {
        String asset = o.buy() ? o.sym.quote : o.sym.base;
        BigDecimal amount = o.buy() ? q.multiply(o.price) : q;
        add(locked, asset, amount.negate());
        add(free, asset, amount);
    }

    private void countOrder() {
        long window = now() / 10_000;
        if (window != window10s) {
            window10s = window;
            orders10s = 0;
        }
        orders10s++;
        ordersDay++;
    }

    private JsonObject orderJson(Ord o, boolean full) {
        JsonObject j = new JsonObject().put("symbol", o.sym.name).put("orderId", o.id).put("orderListId", -1).put("clientOrderId", o.clientId)
                .put("transactTime", o.update).put("price", plain(o.price)).put("origQty", plain(o.qty)).put("executedQty", plain(o.executed))
                .put("cummulativeQuoteQty", plain(o.cumQuote)).put("status", o.status).put("timeInForce", o.tif).put("type", o.type)
                .put("side", o.side).put("workingTime", o.time).put("selfTradePreventionMode", "NONE");
        if (full) {
            JsonArray fills = new JsonArray();
            trades.stream().filter(t -> t.getLong("orderId") == o.id).forEach(t -> fills.add(new JsonObject().put("price", t.getString("price"))
                    .put("qty", t.getString("qty")).put("commission", t.getString("commission")).put("commissionAsset", t.getString("commissionAsset"))
                    .put("tradeId", t.getLong("id"))));
            return j.put("fills", fills);
        }
        return j.put("stopPrice", "0.00000000").put("icebergQty", "0.00000000").put("time", o.time).put("updateTime", o.update)
                .put("isWorking", o.open()).put("origQuoteOrderQty", "0.00000000");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Streams

    private synchronized void onWebSocket(ServerWebSocket ws) {
        if (ws.path().equals("/stream") && !refuseMarket) {
            Set<String> streams = new HashSet<>();
            String query = ws.query() == null ? "" : ws.query();
            for (String part : query.split("&")) {
                if (part.startsWith("streams=")) {
                    streams.addAll(List.of(URLDecoder.decode(part.substring(8), StandardCharsets.UTF_8).split("/")));
                }
            }
            marketConnections++;
            marketSockets.put(ws, streams);
            ws.closeHandler(x -> forget(ws));
        } else if (ws.path().equals("/ws-api/v3") && !refuseUser) {
            userSockets.put(ws, null);
            ws.textMessageHandler(text -> onApiRequest(ws, text));
            ws.closeHandler(x -> forget(ws));
        } else {
            ws.reject(404);
        }
    }

    private synchronized void forget(ServerWebSocket ws) {
        marketSockets.remove(ws);
        userSockets.remove(ws);
        subscriptionsMade.remove(ws);
    }

    /** A WebSocket API request: {@code {"id", "method", "params"}}, answered {@code {"id", "status", "result" or "error"}}. */
    private synchronized void onApiRequest(ServerWebSocket ws, String text) {
        Object id = null;
        JsonObject answer;
        try {
            JsonObject request;
            try {
                request = new JsonObject(text);
            } catch (RuntimeException e) {
                throw new Refused(400, -1000, "Malformed request.");
            }
            id = request.getValue("id");
            JsonObject params = request.getJsonObject("params", new JsonObject());
            answer = new JsonObject().put("result", switch (String.valueOf(request.getValue("method"))) {
                case "userDataStream.subscribe.signature" -> subscribe(ws, params);
                case "userDataStream.unsubscribe" -> {
                    userSockets.put(ws, null);
                    yield new JsonObject();
                }
                default -> throw new Refused(400, -1000, "Unknown method.");
            }).put("status", 200);
        } catch (Refused r) {
            answer = new JsonObject().put("status", r.status).put("error", r.body);
        }
        ws.writeTextMessage(new JsonObject().put("id", id).mergeIn(answer).encode());
    }

    private JsonObject subscribe(ServerWebSocket ws, JsonObject params) {
        Failure f = subscriptionFailures.pollFirst();
        if (f != null) {
            JsonObject error = new JsonObject().put("code", f.code()).put("msg", f.msg());
            if (f.status() == 429 || f.status() == 418) {
                // As Binance's WebSocket API does: when requests may be sent again, on its clock (here in a second).
                error.put("data", new JsonObject().put("serverTime", now()).put("retryAfter", now() + 1000));
            }
            throw new Refused(f.status(), error);
        }
        signed(params);
        if (userSockets.get(ws) != null) {
            throw new Refused(400, -1000, "This account is already subscribed on this connection.");
        }
        int subscription = subscriptionsMade.merge(ws, 1, Integer::sum) - 1;
        userSockets.put(ws, subscription);
        subscriptions++;
        return new JsonObject().put("subscriptionId", subscription);
    }

    private void level(Sym s, boolean bid, BigDecimal price, BigDecimal quantity) {
        NavigableMap<BigDecimal, BigDecimal> side = bid ? s.bids : s.asks;
        if (quantity.signum() == 0) {
            side.remove(price);
        } else {
            side.put(price, quantity);
        }
        long id = ++s.updateId;
        JsonArray change = new JsonArray().add(new JsonArray().add(price.toPlainString()).add(quantity.toPlainString()));
        broadcast(s, "depth", new JsonObject().put("e", "depthUpdate").put("E", now() - marketLagMillis).put("s", s.name).put("U", id).put("u", id)
                .put("b", bid ? change : new JsonArray()).put("a", bid ? new JsonArray() : change));
    }

    /** Sends an event to the market sockets subscribed to the symbol's stream of that kind. */
    private void broadcast(Sym s, String kind, JsonObject data) {
        String lower = s.name.toLowerCase(Locale.ROOT);
        marketSockets.forEach((ws, streams) -> {
            for (String stream : streams) {
                if (stream.startsWith(lower + "@" + kind)) {
                    ws.writeTextMessage(new JsonObject().put("stream", stream).put("data", data).encode());
                    return;
                }
            }
        });
    }

    /** Execution reports are sent this long after the event (0: at once, before the REST answer). */
    private long reportDelayMillis;

    /** Execution reports arrive {@code delay} after what they report, as a slow stream's may: after the REST answer. */
    public synchronized void delayExecutionReports(Duration delay) {
        reportDelayMillis = delay.toMillis();
    }

    /** The cancel request's own id while an outside cancel is reported. */
    private String cancelId;

    private void report(Ord o, String execution, BigDecimal lastQty, BigDecimal lastPrice, BigDecimal fee, long tradeId, boolean maker) {
        if (!push) {
            return;
        }
        JsonObject e = new JsonObject().put("e", "executionReport").put("E", now()).put("s", o.sym.name).put("c", cancelId != null ? cancelId : o.clientId).put("S", o.side)
                .put("o", o.type).put("f", o.tif).put("q", plain(o.qty)).put("p", plain(o.price)).put("P", "0.00000000").put("F", "0.00000000")
                .put("g", -1).put("C", execution.equals("CANCELED") ? o.clientId : "").put("x", execution).put("X", o.status).put("r", "NONE")
                .put("i", o.id).put("l", plain(lastQty == null ? BigDecimal.ZERO : lastQty)).put("z", plain(o.executed))
                .put("L", plain(lastPrice == null ? BigDecimal.ZERO : lastPrice)).put("n", plain(fee == null ? BigDecimal.ZERO : fee))
                .put("N", fee == null ? null : o.sym.quote).put("T", o.update).put("t", tradeId).put("I", 0).put("w", o.open()).put("m", maker)
                .put("M", false).put("O", o.time).put("Z", plain(o.cumQuote)).put("Y", plain(lastQty == null ? BigDecimal.ZERO : lastQty.multiply(lastPrice)))
                .put("Q", "0.00000000").put("W", o.time).put("V", "NONE");
        Map<ServerWebSocket, Integer> to = new LinkedHashMap<>(userSockets);
        to.values().removeIf(java.util.Objects::isNull);
        Runnable send = () -> to.forEach((ws, subscription) -> ws.writeTextMessage(
                new JsonObject().put("subscriptionId", subscription).put("event", e).encode()));
        if (reportDelayMillis > 0) {
            vertx.setTimer(reportDelayMillis, id -> send.run());
        } else {
            send.run();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private long now() {
        return System.currentTimeMillis() + offsetMillis;
    }

    private Sym sym(String symbol) {
        Sym s = symbols.get(symbol);
        if (s == null) {
            throw new IllegalArgumentException("not listed: " + symbol);
        }
        return s;
    }

    private Sym sym(Map<String, String> p, String param) {
        Sym s = symbols.get(required(p, param));
        if (s == null) {
            throw new Refused(400, -1121, "Invalid symbol.");
        }
        return s;
    }

    private static String required(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            throw new Refused(400, -1102, "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed.");
        }
        return v;
    }

    private static Map<String, String> params(String query, String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String source : new String[] {query, body}) {
            if (source == null || source.isEmpty()) {
                continue;
            }
            for (String pair : source.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** Lower-case hex HMAC-SHA256 with the secret: computed here, not by the adapter's code, so the two check each other. */
    private static String hmac(String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(Map<String, BigDecimal> balances, String asset, BigDecimal delta) {
        balances.merge(asset, delta, BigDecimal::add);
    }

    private static String plain(BigDecimal v) {
        return v.setScale(Math.max(8, v.scale()), RoundingMode.UNNECESSARY).toPlainString();
    }
}
