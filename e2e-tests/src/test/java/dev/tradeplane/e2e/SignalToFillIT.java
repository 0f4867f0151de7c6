package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One signal, followed through both real services: routing, order, fill, position, the event on SSE, the counters. */
class SignalToFillIT {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack("tradeplane_test_e2e").start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSignalBecomesAFilledOrderAPositionAnEventAndMetrics() throws Exception {
        String signalId = "e2e-" + System.nanoTime();
        // OPS answers an id it does not know with `event: reset` once the connection follows live events: from then on
        // nothing published is missed.
        CompletableFuture<Void> following = new CompletableFuture<>();
        CompletableFuture<String> filledEvent = firstSseEvent(stack.opsUrl() + "/events?type=order.filled&last_event_id=" + UUID.randomUUID(),
                following, Duration.ofSeconds(30));
        following.get(30, TimeUnit.SECONDS);

        Response answer = given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON)
                .body("{\"signal_id\":\"" + signalId + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\"}")
                .post("/strategy/signal");
        answer.then().statusCode(202).body("signal_id", equalTo(signalId)).body("order_status", equalTo("FILLED"))
                .body("order_id", notNullValue());
        String orderId = answer.jsonPath().getString("order_id");
        String model = answer.jsonPath().getString("model");

        given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).get("/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("FILLED")).body("client_order_id", equalTo("ops-" + signalId)).body("model", equalTo(model));
        JsonPath fills = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).queryParam("order_id", orderId)
                .get("/fills").then().statusCode(200).extract().jsonPath();
        BigDecimal filled = fills.getList("quantity", String.class).stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("0.01").compareTo(filled));
        given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).queryParam("model", model).get("/positions").then()
                .statusCode(200).body("$", hasSize(1)).body("[0].quantity", equalTo("0.01"));

        String event = filledEvent.get(30, TimeUnit.SECONDS);
        assertTrue(event.contains(orderId), "the fill event on OPS' SSE stream names the order: " + event);

        String opsMetrics = given().baseUri(stack.opsUrl()).get("/q/metrics").asString();
        assertTrue(opsMetrics.contains("signals_received_total 1.0"), "signals_received_total");
        assertTrue(opsMetrics.contains("signals_accepted_total{model=\"" + model + "\"} 1.0"), "signals_accepted_total");
        String engineMetrics = given().baseUri(stack.engineUrl()).get("/q/metrics").asString();
        assertTrue(engineMetrics.contains("orders_submitted_total{model=\"" + model + "\",venue=\"PAPER\"} 1.0"));
        assertTrue(engineMetrics.contains("orders_filled_total{model=\"" + model + "\",venue=\"PAPER\"} 1.0"));
        assertTrue(engineMetrics.contains("fill_latency_seconds_count{venue=\"PAPER\"} 1.0"));

        // The same signal again: the same answer, and still one order.
        given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON)
                .body("{\"signal_id\":\"" + signalId + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\"}")
                .post("/strategy/signal").then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("order_id", equalTo(orderId));
        List<String> orders = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).queryParam("model", model)
                .get("/orders").jsonPath().getList("id");
        assertEquals(List.of(orderId), orders);
    }

    /** The data of the first SSE event from {@code url} other than a reset; {@code following} completes at the reset. */
    private static CompletableFuture<String> firstSseEvent(String url, CompletableFuture<Void> following, Duration max) {
        return CompletableFuture.supplyAsync(() -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-OPS-TOKEN", Stack.TOKEN).build();
            Instant deadline = Instant.now().plus(max);
            try {
                HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                    String name = null;
                    String data = null;
                    String line;
                    while (Instant.now().isBefore(deadline) && (line = reader.readLine()) != null) {
                        if (line.startsWith("event:")) {
                            name = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            data = line.substring(5).trim();
                        } else if (line.isEmpty() && data != null) {
                            if (!"reset".equals(name)) {
                                return data;
                            }
                            following.complete(null);
                            name = null;
                            data = null;
                        }
                    }
                }
            } catch (Exception e) {
                following.completeExceptionally(e);
                throw new IllegalStateException(e);
            }
            following.completeExceptionally(new AssertionError("no reset within " + max));
            throw new AssertionError("no SSE event within " + max);
        });
    }
}
