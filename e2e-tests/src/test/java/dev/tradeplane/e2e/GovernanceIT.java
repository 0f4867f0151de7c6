package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped policies, loaded by a real OPS from a copy of {@code policies/}, acting through the real Redis stream
 * and the real engine: a drawdown event pauses its model and the next signal for it is refused with the policy as the
 * reason; three risk rejects at the engine make OPS trip the engine's kill switch, with the admin token, so the
 * engine then refuses every order. A restart of OPS keeps a half-full count window and a cooldown.
 */
class GovernanceIT {

    private static final String ADMIN = "e2e-admin-token-0123456789";
    private static Path policies;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        policies = Files.createTempDirectory("tradeplane-policies");
        try (Stream<Path> shipped = Files.list(Path.of(System.getProperty("tradeplane.root", "..")).resolve("policies"))) {
            for (Path p : shipped.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(p, policies.resolve(p.getFileName()));
            }
        }
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_e2e"), TestInfrastructure.redis(),
                Map.of("TRADEPLANE_GOVERNANCE_DIR", policies.toString(), "ADMIN_TOKEN", ADMIN)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        try (Stream<Path> files = Files.list(policies)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(policies);
    }

    @Test
    void theExamplePoliciesActThroughRedisAndTheEngine() throws Exception {
        ops().get("/policies").then().statusCode(200).body("in_force", equalTo(5));

        // A drawdown past 5% pauses the model; its next signal is refused, naming the policy.
        String drawdown = stack.publish("model.performance", "ops", "{\"model\":\"trend-follower\",\"status\":\"active\","
                + "\"stats\":{\"trades\":60,\"sharpe\":0.3,\"max_drawdown_pct\":6.4,\"win_rate\":0.4,\"round_trips\":30,\"age_seconds\":7200}}");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> ops().get("/models/trend-follower").then().body("status", equalTo("paused")));
        ops().body(signal("trend-follower", "0.001")).post("/strategy/signal").then().statusCode(422)
                .contentType("application/problem+json")
                .body("reason", equalTo("MODEL_NOT_ENABLED"))
                .body("detail", containsString("policy:drawdown-pause"));
        Map<String, Object> pause = action("policy:drawdown-pause", "governance.pause");
        assertEquals("ok", pause.get("result"));
        assertEquals(List.of(drawdown), ((Map<?, ?>) pause.get("trigger")).get("events"));

        // Three orders over the engine's quantity limit: the risk rails reject them, the policy trips the kill switch.
        Map<String, Object> limited = new java.util.HashMap<>(given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", ADMIN).get("/risk/limits")
                .then().statusCode(200).extract().jsonPath().getMap("$"));
        @SuppressWarnings("unchecked")
        Map<String, Object> global = limited.get("global") == null ? new java.util.HashMap<>()
                : new java.util.HashMap<>((Map<String, Object>) limited.get("global"));
        global.put("max_order_quantity", "0.002");
        limited.put("global", global);
        given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", ADMIN).contentType(ContentType.JSON).body(limited).put("/risk/limits")
                .then().statusCode(200);
        given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON).body(limited).put("/risk/limits")
                .then().statusCode(403);
        for (int i = 0; i < 3; i++) {
            ops().body(signal(null, "0.01")).post("/strategy/signal").then().statusCode(422).body("reason", equalTo("MAX_ORDER_QUANTITY"));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN)
                .get("/risk/state").then().statusCode(200).body("kill_switch.active", equalTo(true))
                .body("kill_switch.reason", containsString("reject-storm-kill-switch")));
        Map<String, Object> kill = action("policy:reject-storm-kill-switch", "governance.kill_switch");
        assertEquals("ok", kill.get("result"));
        assertEquals(3, ((List<?>) ((Map<?, ?>) kill.get("trigger")).get("events")).size());
        ops().body(signal(null, "0.001")).post("/strategy/signal").then().statusCode(422).body("reason", equalTo("KILL_SWITCH"));
        assertTrue(action("policy:reject-storm-kill-switch", "governance.alert").get("detail").toString().contains("3 risk rejects within 1m"));
    }

    @Test
    void aRestartOfOpsKeepsHalfFullWindowsAndCooldowns() throws Exception {
        String model = "storm-" + UUID.randomUUID().toString().substring(0, 6);
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 12; i++) {
            stack.publish("order.rejected", "engine", rejected(model));
        }
        stack.publish("model.performance", "ops", performance(ghost));
        await().atMost(Duration.ofSeconds(20)).until(() -> actions("policy:drawdown-pause", ghost) == 2);
        // Every event so far is stored before OPS goes.
        await().atMost(Duration.ofSeconds(20)).until(() -> eventsAbout(model) == 12);

        stack.stopOps(false);
        stack.startOps();

        stack.publish("model.performance", "ops", performance(ghost));
        String other = "ghost-" + UUID.randomUUID().toString().substring(0, 6);
        stack.publish("model.performance", "ops", performance(other));
        for (int i = 0; i < 8; i++) {
            stack.publish("order.rejected", "engine", rejected(model));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> actions("policy:reject-storm-alert", model) == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> actions("policy:drawdown-pause", other) == 2);
        assertEquals(2, actions("policy:drawdown-pause", ghost), "still in its cooldown for the model it fired for before the restart");
        assertTrue(action("policy:reject-storm-alert", "governance.alert").get("detail").toString().contains("20 orders of model " + model));
    }

    private static String rejected(String model) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"venue\":\"PAPER\",\"status\":\"REJECTED\","
                + "\"reject_reason\":\"NO_LIQUIDITY\",\"model\":\"" + model + "\"}";
    }

    private static String performance(String model) {
        return "{\"model\":\"" + model + "\",\"status\":\"active\",\"stats\":{\"trades\":50,\"max_drawdown_pct\":9}}";
    }

    /** How many audit lines of this policy mention {@code text} (in their trigger or detail). */
    private static long actions(String actor, String text) {
        List<Map<String, Object>> entries = ops().queryParam("actor", actor).queryParam("limit", 1000).get("/audit").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return entries.stream().filter(e -> String.valueOf(e.get("action")).startsWith("governance.") && String.valueOf(e.get("trigger")).contains(text))
                .count();
    }

    private static long eventsAbout(String model) throws Exception {
        try (java.sql.Connection c = stack.connect(); java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM ops.events WHERE type = 'order.rejected' AND event->'payload'->>'model' = ?")) {
            q.setString(1, model);
            try (java.sql.ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static RequestSpecification ops() {
        return given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", ADMIN).contentType(ContentType.JSON);
    }

    private static String signal(String model, String quantity) {
        return "{\"signal_id\":\"gov-" + UUID.randomUUID() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"" + quantity + "\""
                + (model == null ? "" : ",\"model\":\"" + model + "\"") + "}";
    }

    /** The audit line of this action by this actor, once it is there. */
    private static Map<String, Object> action(String actor, String action) {
        Object[] found = new Object[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Map<String, Object>> entries = ops().queryParam("actor", actor).get("/audit").then().statusCode(200).extract().jsonPath().getList("$");
            found[0] = entries.stream().filter(e -> action.equals(e.get("action"))).findFirst().orElse(null);
            return found[0] != null;
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) found[0];
        return entry;
    }
}
