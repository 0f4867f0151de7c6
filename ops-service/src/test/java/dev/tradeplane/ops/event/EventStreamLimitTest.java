package dev.tradeplane.ops.event;

import static dev.tradeplane.ops.support.Api.authed;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.ops.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /events serves {@code sse-max-connections} connections at most: one more is a 503 to come back later. */
@QuarkusTest
@TestProfile(EventStreamLimitTest.TwoStreams.class)
class EventStreamLimitTest {

    public static class TwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tradeplane.events.sse-max-connections", "2");
        }
    }

    @TestHTTPResource("/events")
    URL events;

    private HttpResponse<InputStream> open() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(events.toString())).header("X-OPS-TOKEN", Api.TOKEN)
                .header("Accept", "text/event-stream").build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private static double connections() {
        return RestAssured.get("/q/metrics").asString().lines().filter(l -> l.startsWith("sse_connections "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void oneConnectionMoreThanTheLimitIsA503UntilOneCloses() throws Exception {
        HttpResponse<InputStream> first = open();
        HttpResponse<InputStream> second = open();
        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        await().atMost(Duration.ofSeconds(20)).until(() -> connections() >= 2);

        authed().header("Accept", "text/event-stream").get("/events").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5").body("title", equalTo("Too many event streams"));

        second.body().close();
        await().atMost(Duration.ofSeconds(20)).until(() -> connections() <= 1);
        HttpResponse<InputStream> again = open();
        assertEquals(200, again.statusCode(), "a place is free again");
        again.body().close();
        first.body().close();
    }
}
