package dev.tradeplane.ops.event;

import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.marketSignal;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.support.Api;
import dev.tradeplane.ops.support.Bus;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Events on the Redis stream reach GET /events as Server-Sent Events, once each and in order, and can be resumed, also
 * from further back than one page of the replay.
 */
@QuarkusTest
@TestProfile(EventStreamTest.SmallPages.class)
class EventStreamTest {

    /** Replay pages of 7 events, so that a resume reads several. */
    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tradeplane.events.sse-page-size", "7");
        }
    }

    @TestHTTPResource("/events")
    URL events;

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @ConfigProperty(name = "tradeplane.events.stream")
    String stream;

    @Test
    void anEngineEventOnTheStreamReachesSseOnceEvenWhenPublishedTwice() throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"id\":\"" + id + "\",\"type\":\"order.filled\",\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"engine\","
                + "\"payload\":{\"order_id\":\"o-1\"}}";
        // Resuming after a stored marker: what is published next is delivered whenever the connection is up.
        String marker = storedMarker();
        CompletableFuture<List<String[]>> seen = read(events.toString() + "?type=order.*&last_event_id=" + marker,
                lines -> lines.stream().anyMatch(l -> id.equals(l[0])), Duration.ofSeconds(20));
        publish(id, "order.filled", event);
        publish(id, "order.filled", event);
        publish(UUID.randomUUID().toString(), "signal.routed", "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"signal.routed\","
                + "\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"ops\",\"payload\":{}}");
        List<String[]> received = seen.get(25, TimeUnit.SECONDS);
        assertEquals(1, received.stream().filter(e -> id.equals(e[0])).count(), "delivered once");
        String[] mine = received.stream().filter(e -> id.equals(e[0])).findFirst().orElseThrow();
        assertEquals("order.filled", mine[1]);
        assertTrue(mine[2].replace(" ", "").contains("\"order_id\":\"o-1\""), mine[2]);
        assertTrue(received.stream().noneMatch(e -> "signal.routed".equals(e[1])), "the type filter holds");
    }

    @Test
    void aSignalShowsUpAsASignalRoutedEventAndLastEventIdReplaysWhatCameAfter() throws Exception {
        String first = storedMarker();
        String signal = signalId();
        authed().body(marketSignal(signal, "0.01")).post("/strategy/signal").then().statusCode(202);
        // Connect after both happened, resuming after the marker: the routed signal is replayed from OPS' log.
        CompletableFuture<List<String[]>> replay = read(events.toString() + "?last_event_id=" + first,
                lines -> lines.stream().anyMatch(l -> "signal.routed".equals(l[1]) && l[2].contains(signal)), Duration.ofSeconds(20));
        List<String[]> received = replay.get(25, TimeUnit.SECONDS);
        assertTrue(received.stream().noneMatch(e -> first.equals(e[0])), "the resumed-from event itself is not repeated");
    }

    @Test
    void aResumeFromManyPagesBackWhileEventsKeepComingGetsEachOnceInOrder() throws Exception {
        String marker = storedMarker();
        String type = "test.burst-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            published.add(Bus.publish(redis, stream, type, "test", "{\"n\":" + i + "}"));
        }
        // 60 events behind, 7 a page: the replay reads pages while the next 61 are stored and published live.
        CompletableFuture<List<String[]>> seen = read(events.toString() + "?type=" + type + "&last_event_id=" + marker,
                lines -> lines.stream().anyMatch(l -> l[2].replace(" ", "").contains("\"payload\":{\"n\":120}")), Duration.ofSeconds(60));
        for (int i = 60; i <= 120; i++) {
            published.add(Bus.publish(redis, stream, type, "test", "{\"n\":" + i + "}"));
        }
        List<String[]> received = seen.get(65, TimeUnit.SECONDS);
        assertEquals(published, received.stream().map(e -> e[0]).toList(), "every event once, in the order they were published");
    }

    @Test
    void anUnknownLastEventIdGetsAResetThenTheEventsFromThenOnAndAMalformedOneA400() throws Exception {
        String unknown = UUID.randomUUID().toString();
        try (SseConnection sse = new SseConnection(events.toString() + "?last_event_id=" + unknown)) {
            String[] reset = sse.next();
            assertEquals("reset", reset[1]);
            assertNull(reset[0], "a reset has no id: the client's position stays where it was");
            assertTrue(reset[2].contains("\"last_event_id\":\"" + unknown + "\""), reset[2]);
            // The reset is sent once the connection follows live events: what is published now is delivered.
            String after = Bus.publish(redis, stream, "test.after-reset", "test", "{}");
            assertEquals(after, sse.until(e -> after.equals(e[0]))[0]);
        }
        authed().header("Accept", "text/event-stream").header("Last-Event-ID", "not-an-event-id").get("/events").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("Last-Event-ID"));
    }

    @Test
    void aClosedConnectionStopsFollowingLiveEvents() throws Exception {
        double before;
        try (SseConnection sse = new SseConnection(events.toString() + "?last_event_id=" + storedMarker())) {
            String id = Bus.publish(redis, stream, "test.connected", "test", "{}");
            sse.until(e -> id.equals(e[0]));
            before = connections();
            assertTrue(before >= 1, "this connection is counted: " + before);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> connections() <= before - 1);
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

    /** Publishes a marker event and waits until OPS has stored it: a connection resuming after it misses nothing later. */
    private String storedMarker() {
        String id = Bus.publish(redis, stream, "test.marker", "test", "{}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery("SELECT count(*) AS n FROM ops.events WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(5)) == 1);
        return id;
    }

    private static double connections() {
        String metrics = RestAssured.get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("sse_connections ")).mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no sse_connections gauge"));
    }

    /** Reads SSE events ({id, event, data}) until {@code done} holds or the time is up. */
    private static CompletableFuture<List<String[]>> read(String url, Predicate<List<String[]>> done, Duration max) {
        return CompletableFuture.supplyAsync(() -> {
            List<String[]> out = new ArrayList<>();
            try (SseConnection sse = new SseConnection(url)) {
                Instant deadline = Instant.now().plus(max);
                while (!done.test(out)) {
                    String[] e = sse.events.poll(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                    if (e == null) {
                        throw new AssertionError("SSE did not deliver the expected events in time; got " + out.size());
                    }
                    out.add(e);
                }
                return out;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One SSE connection, read on a thread of its own; its events ({id, event, data}; a null id when it had none) in order. */
    private static final class SseConnection implements AutoCloseable {

        private static final Duration WAIT = Duration.ofSeconds(20);

        final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        private final HttpResponse<InputStream> response;

        SseConnection(String url) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-OPS-TOKEN", Api.TOKEN)
                    .header("Accept", "text/event-stream").build();
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("SSE answered " + response.statusCode());
            }
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && (id != null || name != null)) {
                        events.add(new String[] {id, name, data.toString()});
                        id = null;
                        name = null;
                        data.setLength(0);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        }

        /** The next event. */
        String[] next() throws InterruptedException {
            String[] e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no SSE event within " + WAIT);
            }
            return e;
        }

        /** The first event, from now on, that matches. */
        String[] until(Predicate<String[]> match) throws InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                String[] e = events.poll(1, TimeUnit.SECONDS);
                if (e != null && match.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no matching SSE event within " + WAIT);
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
