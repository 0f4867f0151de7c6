package dev.tradeplane.ops.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tradeplane.model.WireJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for an engine, as a real HTTP server on loopback, so OPS' own behaviour (routing, idempotency, retries,
 * outages) can be tested on its own. It keeps orders by idempotency key like the engine does, and can be told to be
 * down or to reject. The real engine is tested with OPS in the end-to-end tests.
 */
public class FakeEngine implements QuarkusTestResourceLifecycleManager {

    public enum Mode { NORMAL, DOWN, REJECT }

    public static final String TOKEN = "engine-test-token-0123456789";

    private static final ObjectMapper MAPPER = WireJson.newMapper();
    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    /** Every order request that created an order, as received. */
    public static final List<JsonNode> ORDERS = new CopyOnWriteArrayList<>();
    /** Every bracket request that created orders, as received. */
    public static final List<JsonNode> BRACKETS = new CopyOnWriteArrayList<>();
    /** Every POST /orders received, including repeats. */
    public static final List<String> KEYS_SEEN = new CopyOnWriteArrayList<>();
    /** The bodies of the kill-switch trips the engine was asked for. */
    public static final List<JsonNode> KILL_SWITCH_TRIPS = new CopyOnWriteArrayList<>();
    private static volatile Mode mode = Mode.NORMAL;
    /** The equity GET /account reports. */
    public static volatile String equity = "100000";
    /** The mids GET /market/{instrument} reports, by instrument. */
    public static final Map<String, String> MIDS = new ConcurrentHashMap<>(Map.of("BTCUSDT.PAPER", "65000", "ETHUSDT.PAPER", "3200"));

    private HttpServer server;

    public static void mode(Mode newMode) {
        mode = newMode;
    }

    public static List<JsonNode> ordersFor(String idempotencyKey) {
        return ORDERS.stream().filter(o -> idempotencyKey.equals(o.get("client_order_id").asText())).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/instruments", this::instruments);
        server.createContext("/orders", this::orders);
        server.createContext("/account", this::account);
        server.createContext("/market/", this::market);
        server.createContext("/risk/kill-switch", this::killSwitch);
        server.start();
        return Map.of("tradeplane.engines.paper.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void instruments(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        send(ex, 200, "application/json", """
                [{"symbol":"BTCUSDT.PAPER","venue":"PAPER","base_asset":"BTC","quote_asset":"USDT","tick_size":"0.01","lot_size":"0.00001","min_notional":"5"},
                 {"symbol":"ETHUSDT.PAPER","venue":"PAPER","base_asset":"ETH","quote_asset":"USDT","tick_size":"0.01","lot_size":"0.0001","min_notional":"5"}]
                """);
    }

    private void account(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if (mode == Mode.DOWN) {
            send(ex, 503, "application/problem+json", "{\"title\":\"down\",\"status\":503}");
            return;
        }
        send(ex, 200, "application/json", "[{\"venue\":\"PAPER\",\"balances\":{\"USDT\":\"" + equity + "\"},\"equity_usd\":\"" + equity
                + "\",\"realized_pnl\":\"0\",\"unrealized_pnl\":\"0\",\"fees\":\"0\",\"as_of\":\"2026-01-01T00:00:00Z\"}]");
    }

    private void killSwitch(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if (mode == Mode.DOWN) {
            send(ex, 503, "application/problem+json", "{\"title\":\"down\",\"status\":503}");
            return;
        }
        KILL_SWITCH_TRIPS.add(MAPPER.readTree(ex.getRequestBody().readAllBytes()));
        send(ex, 200, "application/json", "{\"kill_switch\":{\"active\":true},\"breakers\":[],\"monitors\":[],\"as_of\":\"2026-01-01T00:00:00Z\"}");
    }

    private void market(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if (mode == Mode.DOWN) {
            send(ex, 503, "application/problem+json", "{\"title\":\"down\",\"status\":503}");
            return;
        }
        String instrument = ex.getRequestURI().getPath().substring("/market/".length());
        String mid = MIDS.get(instrument);
        if (mid == null) {
            send(ex, 404, "application/problem+json", "{\"title\":\"Not found\",\"status\":404}");
            return;
        }
        send(ex, 200, "application/json", "{\"symbol\":\"" + instrument + "\",\"venue\":\"PAPER\",\"bid\":\"" + mid + "\",\"ask\":\""
                + mid + "\",\"mid\":\"" + mid + "\",\"spread_bps\":\"0\",\"imbalance\":\"0\",\"bids\":[],\"asks\":[],"
                + "\"time\":\"2026-01-01T00:00:00Z\"}");
    }

    private synchronized void orders(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        if ("GET".equals(ex.getRequestMethod())) {
            send(ex, mode == Mode.DOWN ? 503 : 200, "application/json", mode == Mode.DOWN ? "{\"title\":\"down\",\"status\":503}" : "[]");
            return;
        }
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        KEYS_SEEN.add(key);
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (mode == Mode.DOWN) {
            send(ex, 503, "application/problem+json", "{\"title\":\"down\",\"status\":503}");
            return;
        }
        String previous = ANSWERS.get(key);
        if (previous != null) {
            send(ex, previous.startsWith("{\"type\"") ? 422 : 201, previous.startsWith("{\"type\"") ? "application/problem+json" : "application/json", previous);
            return;
        }
        JsonNode request = MAPPER.readTree(body);
        boolean bracket = ex.getRequestURI().getPath().endsWith("/bracket");
        JsonNode entry = bracket ? request.get("entry") : request;
        String orderId = UUID.randomUUID().toString();
        ORDERS.add(entry);
        if (bracket) {
            BRACKETS.add(request);
        }
        String answer;
        int status;
        if (mode == Mode.REJECT) {
            status = 422;
            answer = "{\"type\":\"https://tradeplane.dev/problems/order-rejected\",\"title\":\"Order rejected\",\"status\":422,"
                    + "\"detail\":\"notional is above tradeplane.risk.max-order-notional\",\"reason\":\"MAX_ORDER_NOTIONAL\","
                    + "\"limit\":\"100000\",\"value\":\"650000\",\"order_id\":\"" + orderId + "\"}";
        } else {
            status = 201;
            ObjectNode order = MAPPER.createObjectNode();
            String quantity = entry.hasNonNull("quantity") ? entry.get("quantity").asText() : "0.0015";
            order.put("id", orderId).put("client_order_id", entry.get("client_order_id").asText())
                    .put("symbol", entry.get("symbol").asText()).put("venue", "PAPER").put("side", entry.get("side").asText())
                    .put("type", entry.get("type").asText()).put("time_in_force", "IOC").put("quantity", quantity)
                    .put("filled_quantity", quantity).put("average_price", "65000.5").put("fees", "0.01").put("status", "FILLED")
                    .put("model", entry.get("model").asText()).put("created_at", "2026-01-01T00:00:00Z")
                    .put("updated_at", "2026-01-01T00:00:00Z");
            if (bracket) {
                ObjectNode group = MAPPER.createObjectNode().put("contingency", "BRACKET");
                group.putArray("orders").add(order).add(MAPPER.createObjectNode().put("id", "sl-" + orderId).put("status", "OPEN"))
                        .add(MAPPER.createObjectNode().put("id", "tp-" + orderId).put("status", "OPEN"));
                answer = MAPPER.writeValueAsString(group);
            } else {
                answer = MAPPER.writeValueAsString(order);
            }
        }
        ANSWERS.put(key, answer);
        send(ex, status, status == 201 ? "application/json" : "application/problem+json", answer);
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (!TOKEN.equals(ex.getRequestHeaders().getFirst("X-OPS-TOKEN"))) {
            send(ex, 401, "application/problem+json", "{\"title\":\"Unauthorized\",\"status\":401}");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
