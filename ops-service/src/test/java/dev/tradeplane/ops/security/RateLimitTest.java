package dev.tradeplane.ops.security;

import static dev.tradeplane.ops.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each caller has its own request budget: above it, 429 with Retry-After; another caller is not affected. */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimit.class)
class RateLimitTest {

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tradeplane.auth.rate-limit.per-second", "1", "tradeplane.auth.rate-limit.burst", "5");
        }
    }

    @Test
    void aCallerAboveItsRateGets429AndOthersAreServed() {
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 8; i++) {
            Response r = as("greedy", "read-only").get("/models");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertEquals(List.of(200, 200, 200, 200, 200), statuses.subList(0, 5), statuses.toString());
        assertTrue(statuses.subList(5, 8).contains(429), statuses.toString());
        assertEquals("application/problem+json", limited.contentType());
        assertEquals("1", limited.header("Retry-After"));
        assertEquals(200, as("patient", "read-only").get("/models").statusCode(), "another caller has its own budget");
    }
}
