package dev.tradeplane.ops.event;

import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.marketSignal;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.support.Api;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Events on the Redis stream reach GET /events as Server-Sent Events, once each, and can be resumed. */
@QuarkusTest
class EventStreamTest {

    @TestHTTPResource("/events")
    URL events;

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "tradeplane.events.stream")
    String stream;

    @Test
    void anEngineEventOnTheStreamReachesSseOnceEvenWhenPublishedTwice() throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"id\":\"" + id + "\",\"type\":\"order.filled\",\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"engine\","
                + "\"payload\":{\"order_id\":\"o-1\"}}";
        CompletableFuture<List<String[]>> seen = read(events.toString() + "?type=order.*", lines -> lines.stream().anyMatch(l -> l[0].equals(id)),
                Duration.ofSeconds(20));
        Thread.sleep(300);
        publish(id, "order.filled", event);
        publish(id, "order.filled", event);
        publish(UUID.randomUUID().toString(), "signal.routed", "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"signal.routed\","
                + "\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"ops\",\"payload\":{}}");
        List<String[]> received = seen.get(25, TimeUnit.SECONDS);
        assertEquals(1, received.stream().filter(e -> e[0].equals(id)).count(), "delivered once");
        String[] mine = received.stream().filter(e -> e[0].equals(id)).findFirst().orElseThrow();
        assertEquals("order.filled", mine[1]);
        assertTrue(mine[2].contains("\"order_id\":\"o-1\""));
        assertTrue(received.stream().noneMatch(e -> e[1].equals("signal.routed")), "the type filter holds");
    }

    @Test
    void aSignalShowsUpAsASignalRoutedEventAndLastEventIdReplaysWhatCameAfter() throws Exception {
        String first = UUID.randomUUID().toString();
        publish(first, "test.marker", "{\"id\":\"" + first + "\",\"type\":\"test.marker\",\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"test\",\"payload\":{}}");
        String signal = signalId();
        authed().body(marketSignal(signal, "0.01")).post("/strategy/signal").then().statusCode(202);
        // Connect after both happened, resuming after the marker: the routed signal is replayed from OPS' log.
        CompletableFuture<List<String[]>> replay = read(events.toString() + "?last_event_id=" + first,
                lines -> lines.stream().anyMatch(l -> l[1].equals("signal.routed") && l[2].contains(signal)), Duration.ofSeconds(20));
        List<String[]> received = replay.get(25, TimeUnit.SECONDS);
        assertTrue(received.stream().noneMatch(e -> e[0].equals(first)), "the resumed-from event itself is not repeated");
    }

    @Test
    void positionEventsBecomeOpsPnlAndAnOlderReportNeverOverwritesANewerOne() {
        String model = "pnl-" + UUID.randomUUID().toString().substring(0, 6);
        String newer = position(model, "0.5", "12.5", "2026-01-01T00:00:02Z");
        String older = position(model, "0.2", "3", "2026-01-01T00:00:01Z");
        publish(UUID.randomUUID().toString(), "position.changed", newer);
        publish(UUID.randomUUID().toString(), "position.changed", older);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/pnl").jsonPath()
                .getList("lines.model").contains(model));
        io.restassured.path.json.JsonPath pnl = authed().get("/pnl").then().statusCode(200).extract().jsonPath();
        assertEquals("12.5", pnl.getString("lines.find { it.model == '" + model + "' }.realized_pnl"));
        assertEquals("0.5", pnl.getString("positions.find { it.model == '" + model + "' }.quantity"));
    }

    private static String position(String model, String quantity, String realized, String at) {
        String id = UUID.randomUUID().toString();
        return "{\"id\":\"" + id + "\",\"type\":\"position.changed\",\"time\":\"" + at + "\",\"source\":\"engine\",\"payload\":"
                + "{\"symbol\":\"BTCUSDT.PAPER\",\"venue\":\"PAPER\",\"model\":\"" + model + "\",\"quantity\":\"" + quantity
                + "\",\"average_price\":\"65000\",\"realized_pnl\":\"" + realized + "\",\"fees\":\"1\",\"mark_price\":\"65010\","
                + "\"unrealized_pnl\":\"5\",\"updated_at\":\"" + at + "\"}}";
    }

    private void publish(String id, String type, String json) {
        redis.stream(String.class).xadd(stream, Map.of("id", id, "type", type, "event", json));
    }

    /** Reads SSE events ({id, event, data}) until {@code done} holds or the time is up. */
    private static CompletableFuture<List<String[]>> read(String url, Predicate<List<String[]>> done, Duration max) {
        return CompletableFuture.supplyAsync(() -> {
            List<String[]> out = new ArrayList<>();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-OPS-TOKEN", Api.TOKEN)
                    .header("Accept", "text/event-stream").build();
            Instant deadline = Instant.now().plus(max);
            try {
                HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("SSE answered " + response.statusCode());
                }
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String id = null;
                    String name = null;
                    StringBuilder data = new StringBuilder();
                    String line;
                    while (Instant.now().isBefore(deadline) && (line = reader.readLine()) != null) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).trim());
                        } else if (line.isEmpty() && id != null) {
                            out.add(new String[] {id, name, data.toString()});
                            id = null;
                            name = null;
                            data.setLength(0);
                            if (done.test(out)) {
                                return out;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new AssertionError("SSE did not deliver the expected events in time; got " + out.size());
        });
    }
}
