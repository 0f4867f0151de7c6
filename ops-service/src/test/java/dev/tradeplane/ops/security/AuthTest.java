package dev.tradeplane.ops.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.support.Api;
import dev.tradeplane.ops.support.Jwts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint refuses a missing or wrong credential (401) and a role too low (403), with X-OPS-TOKEN or a JWT;
 * each accepts the role it states.
 */
@QuarkusTest
class AuthTest {

    /** An endpoint and the least role it needs. */
    record Endpoint(String method, String path, String role) {}

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/models", "read-only"),
            new Endpoint("GET", "/models/trend-follower", "read-only"),
            new Endpoint("POST", "/models", "ops"),
            new Endpoint("PUT", "/models/trend-follower", "ops"),
            new Endpoint("POST", "/models/no-such/pause", "ops"),
            new Endpoint("POST", "/models/no-such/resume", "ops"),
            new Endpoint("POST", "/models/no-such/promote", "ops"),
            new Endpoint("POST", "/models/no-such/demote", "ops"),
            new Endpoint("DELETE", "/models/no-such", "ops"),
            new Endpoint("POST", "/strategy/signal", "trader"),
            new Endpoint("GET", "/pnl", "read-only"),
            new Endpoint("GET", "/audit", "read-only"),
            new Endpoint("GET", "/allocations", "read-only"),
            new Endpoint("POST", "/allocations/run", "ops"),
            new Endpoint("GET", "/config/effective", "read-only"),
            new Endpoint("GET", "/canary/decisions", "read-only"),
            new Endpoint("POST", "/canary/run", "ops"),
            new Endpoint("GET", "/policies", "read-only"),
            new Endpoint("GET", "/trading/pauses", "read-only"),
            new Endpoint("POST", "/trading/pause", "ops"),
            new Endpoint("POST", "/trading/resume", "ops"),
            new Endpoint("GET", "/dash/pnl", "read-only"),
            new Endpoint("GET", "/dash/pnl.csv", "read-only"));

    private static final List<String> ROLES = List.of("read-only", "trader", "ops", "admin");

    private static Response call(RequestSpecification spec, Endpoint e) {
        RequestSpecification s = spec.contentType(ContentType.JSON);
        return switch (e.method()) {
            case "GET" -> s.get(e.path());
            case "POST" -> s.body("{}").post(e.path());
            case "PUT" -> s.body("{}").put(e.path());
            case "DELETE" -> s.delete(e.path());
            default -> throw new IllegalArgumentException(e.method());
        };
    }

    @Test
    void noCredentialOrAWrongOneIs401() {
        for (Endpoint e : ENDPOINTS) {
            call(given(), e).then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("https://tradeplane.dev/problems/unauthorized"));
            call(given().header("X-OPS-TOKEN", "not-the-token-at-all-0000"), e).then().statusCode(401);
            call(bearer(Jwts.tampered(Jwts.token("mallory", "admin"))), e).then().statusCode(401);
            call(bearer(Jwts.token(Jwts.ISSUER, "late", Instant.now().minusSeconds(600), "admin")), e).then().statusCode(401);
            call(bearer(Jwts.token("someone-else", "mallory", Instant.now().plusSeconds(600), "admin")), e).then().statusCode(401);
            call(bearer(Jwts.token("nobody", "viewers")), e).then().statusCode(401);
        }
    }

    @Test
    void aRoleBelowTheEndpointsIs403AndItsOwnRoleGetsThrough() {
        for (Endpoint e : ENDPOINTS) {
            int needed = ROLES.indexOf(e.role());
            for (int i = 0; i < ROLES.size(); i++) {
                Response r = call(bearer(Jwts.token("user-" + ROLES.get(i), ROLES.get(i))), e);
                if (i < needed) {
                    r.then().statusCode(403).contentType("application/problem+json");
                } else {
                    assertTrue(r.statusCode() != 401 && r.statusCode() != 403, e + " as " + ROLES.get(i) + ": " + r.statusCode() + " " + r.asString());
                }
            }
        }
    }

    @Test
    void theApiTokenIsATraderOnceAnAdminTokenExists() {
        Endpoint signal = ENDPOINTS.stream().filter(e -> e.path().equals("/strategy/signal")).findFirst().orElseThrow();
        Endpoint create = ENDPOINTS.stream().filter(e -> e.method().equals("POST") && e.path().equals("/models")).findFirst().orElseThrow();
        assertTrue(call(given().header("X-OPS-TOKEN", Api.TOKEN), signal).statusCode() != 403);
        call(given().header("X-OPS-TOKEN", Api.TOKEN), create).then().statusCode(403);
        assertTrue(call(given().header("X-OPS-TOKEN", Api.ADMIN_TOKEN), create).statusCode() == 400, "admin passes; the empty body is a 400");
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
