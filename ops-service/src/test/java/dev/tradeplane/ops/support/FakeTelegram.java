package dev.tradeplane.ops.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Telegram Bot API's {@code sendMessage} on loopback: checks the bot token in the path, records each
 * request, and answers 429 with {@code retry_after} as many times as a test asks before answering 200.
 */
public class FakeTelegram implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "123456:test-bot-token";

    /** One request: when it came, its JSON body, and the status answered. */
    public record Request(Instant at, JsonNode body, int status) {}

    public static final List<Request> REQUESTS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger TOO_MANY = new AtomicInteger();
    private static volatile int retryAfter = 1;
    /** Only messages whose text contains it are answered 429 (null: any message). */
    private static volatile String tooManyFor;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private HttpServer server;

    /** The next {@code n} requests are answered 429 with {@code retry_after} = {@code seconds}. */
    public static void tooManyRequests(int n, int seconds) {
        tooManyRequests(null, n, seconds);
    }

    /**
     * The next {@code n} requests whose text contains {@code marker} are answered 429 with {@code retry_after} =
     * {@code seconds}; other messages (another test's alert sent meanwhile) are answered as usual.
     */
    public static void tooManyRequests(String marker, int n, int seconds) {
        retryAfter = seconds;
        tooManyFor = marker;
        TOO_MANY.set(n);
    }

    /** The texts delivered (answered 200) that contain {@code marker}. */
    public static List<String> delivered(String marker) {
        return REQUESTS.stream().filter(r -> r.status() == 200).map(r -> r.body().path("text").asText()).filter(t -> t.contains(marker)).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("tradeplane.telegram.api-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/bot" + TOKEN + "/sendMessage") || !"POST".equals(ex.getRequestMethod())) {
            send(ex, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
            return;
        }
        JsonNode body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        if (!body.path("chat_id").isTextual() || body.path("text").asText().isEmpty()) {
            send(ex, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: message text is empty\"}");
            return;
        }
        String marker = tooManyFor;
        if ((marker == null || body.path("text").asText().contains(marker)) && TOO_MANY.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            REQUESTS.add(new Request(Instant.now(), body, 429));
            ex.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
            send(ex, 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + retryAfter
                    + "\",\"parameters\":{\"retry_after\":" + retryAfter + "}}");
            return;
        }
        REQUESTS.add(new Request(Instant.now(), body, 200));
        send(ex, 200, "{\"ok\":true,\"result\":{\"message_id\":" + REQUESTS.size() + ",\"chat\":{\"id\":" + body.path("chat_id").asText()
                + "},\"text\":" + MAPPER.writeValueAsString(body.path("text").asText()) + "}}");
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
