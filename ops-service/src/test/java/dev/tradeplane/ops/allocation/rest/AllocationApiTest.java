package dev.tradeplane.ops.allocation.rest;

import static dev.tradeplane.ops.support.Api.as;
import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.support.FakeEngine;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The allocator against the real database and an engine's account and market: budgets from equity and shares, the
 * record and export of each reallocation, the capital policy file over the defaults, and budgets held on signals.
 */
@QuarkusTest
class AllocationApiTest {

    private static final Path CONFIG = Path.of("target/test-config");

    @Inject
    Pool pool;

    @AfterEach
    void defaults() throws IOException {
        Files.deleteIfExists(CONFIG.resolve("capital_policy.json"));
        Files.deleteIfExists(CONFIG.resolve("strategy_weights.json"));
        Files.deleteIfExists(CONFIG.resolve("policies.yaml"));
        FakeEngine.equity = "100000";
        pool.query("DELETE FROM ops.positions WHERE model LIKE 'alloc-%' OR venue = 'PAPER' AND symbol = 'BTCUSDT' AND quantity = 0.5")
                .execute().await().atMost(Duration.ofSeconds(5));
        as("ops", "ops").post("/allocations/run");
    }

    private static void policy(String json) throws IOException {
        Files.createDirectories(CONFIG);
        Files.writeString(CONFIG.resolve("capital_policy.json"), json);
    }

    private static JsonPath run() {
        return as("ops", "ops").post("/allocations/run").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void budgetsAreSharesOfTheEnginesEquityAndEachReallocationIsRecordedPublishedAndExported() throws IOException {
        FakeEngine.equity = "200000";
        JsonPath a = run();
        assertEquals("SHARPE", a.getString("method"));
        assertEquals("200000", a.getString("equity"));
        List<Map<String, Object>> models = a.getList("models");
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> m : models) {
            BigDecimal share = new BigDecimal((String) m.get("share"));
            total = total.add(share);
            if (m.get("model").equals("trend-follower")) {
                assertEquals(0, share.multiply(new BigDecimal("200000")).setScale(2, java.math.RoundingMode.DOWN)
                        .compareTo(new BigDecimal((String) m.get("budget"))), "budget = share x equity");
                assertTrue(share.compareTo(new BigDecimal("0.5")) <= 0, "within max_share");
            }
        }
        assertTrue(total.compareTo(BigDecimal.ONE) <= 0);
        as("viewer", "read-only").get("/allocations").then().statusCode(200).body("equity", equalTo("200000"))
                .body("models.find { it.model == 'trend-follower' }.used", notNullValue());

        long recorded = pool.query("SELECT count(*) AS n FROM ops.allocations WHERE equity = 200000").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertTrue(recorded >= 1, "the reallocation is stored with its inputs");
        long events = pool.query("SELECT count(*) AS n FROM ops.outbox WHERE type = 'allocation.changed' AND (event->'payload'->>'equity') = '200000'")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertTrue(events >= 1, "and published");
        String exported = Files.readString(Path.of("target/capital_allocations.json"));
        assertTrue(exported.contains("\"equity\" : \"200000\""), exported);
    }

    @Test
    void theCapitalPolicyFileOverridesTheDefaultsAndConfigEffectiveSaysWhichLayerWon() throws IOException {
        policy("{\"method\":\"EQUAL\",\"max_share\":\"0.3\",\"min_share\":\"0.01\",\"cooldown\":\"1s\",\"bogus\":1}");
        JsonPath a = run();
        assertEquals("EQUAL", a.getString("method"));
        List<Map<String, Object>> settings = as("viewer", "read-only").get("/config/effective").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals("capital_policy.json", layer(settings, "allocator.method"));
        assertEquals("0.3", value(settings, "allocator.max_share"));
        assertEquals("default", layer(settings, "allocator.damping"));
        assertTrue(settings.stream().anyMatch(s -> "allocator.bogus".equals(s.get("key")) && s.get("error") != null), "unknown keys are named");
        assertTrue(settings.stream().anyMatch(s -> ((String) s.get("key")).endsWith(".share") && "live allocation".equals(s.get("layer"))));

        policy("{\"method\":\"NOT-A-METHOD\"}");
        run();
        settings = as("viewer", "read-only").get("/config/effective").then().extract().jsonPath().getList("$");
        assertTrue(settings.stream().anyMatch(s -> "allocator.method".equals(s.get("key")) && s.get("error") != null
                && "SHARPE".equals(s.get("value"))), "a bad value is refused and the layer below stays: " + settings);
    }

    @Test
    void policiesYamlSetsTheCanaryThresholdsOverTheConfiguration() throws IOException {
        Files.createDirectories(CONFIG);
        // The file's mtime must change between writes for a re-read; sizes differ here, which is enough.
        Files.writeString(CONFIG.resolve("policies.yaml"), "canary:\n  weight_fraction: 0.25\n  min_trades: 5\n  min_age: 90s\n"
                + "  promote_win_rate: 2\n  bogus: 1\n");
        List<Map<String, Object>> settings = as("viewer", "read-only").get("/config/effective").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals("policies.yaml", layer(settings, "canary.weight_fraction"));
        assertEquals("0.25", value(settings, "canary.weight_fraction"));
        assertEquals("5", value(settings, "canary.min_trades"));
        assertEquals("PT1M30S", value(settings, "canary.min_age"));
        assertEquals("default", layer(settings, "canary.demote_sharpe"));
        assertTrue(settings.stream().anyMatch(s -> "canary.promote_win_rate".equals(s.get("key")) && s.get("error") != null
                && "0.45".equals(s.get("value"))), "a bad value is refused and the layer below stays: " + settings);
        assertTrue(settings.stream().anyMatch(s -> "canary.bogus".equals(s.get("key")) && s.get("error") != null), "unknown keys are named");

        String name = "pol-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        as("alice", "ops").body("{\"name\":\"" + name + "\",\"target_weight\":\"2\"}").post("/models").then().statusCode(201)
                .body("status", equalTo("canary")).body("weight", equalTo("0.5"));
        as("cleanup", "ops").delete("/models/" + name);
    }

    @Test
    void aSignalOverItsModelsBudgetIsScaledDownOrRefusedAsThePolicySays() throws IOException {
        policy("{\"method\":\"EQUAL\",\"max_share\":\"0.02\",\"min_share\":\"0\",\"cooldown\":\"1s\"}");
        run();
        // 2% of 100000 = 2000 per model; 0.1 BTC at 65000 is worth 6500.
        String id = signalId();
        JsonPath answer = authed().body("{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.1\","
                + "\"model\":\"trend-follower\"}").post("/strategy/signal").then().statusCode(202).extract().jsonPath();
        assertEquals("0.1", answer.getString("budget.requested_quantity"));
        JsonNode placed = FakeEngine.ordersFor("ops-" + id).get(0);
        assertEquals("0.03076", placed.get("quantity").asText(), "2000 / 65000 rounded down to the lot");
        authed().body("{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.1\","
                + "\"model\":\"trend-follower\"}").post("/strategy/signal").then().statusCode(202).body("budget.requested_quantity", equalTo("0.1"));
        assertEquals(1, FakeEngine.ordersFor("ops-" + id).size(), "a repeat places nothing more");

        String small = signalId();
        authed().body("{\"signal_id\":\"" + small + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\","
                + "\"model\":\"trend-follower\"}").post("/strategy/signal").then().statusCode(202).body("budget", equalTo(null));

        policy("{\"method\":\"EQUAL\",\"max_share\":\"0.02\",\"min_share\":\"0\",\"cooldown\":\"1s\",\"on_over_budget\":\"REJECT\"}");
        run();
        String refused = signalId();
        authed().body("{\"signal_id\":\"" + refused + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.1\","
                        + "\"model\":\"trend-follower\"}").post("/strategy/signal").then().statusCode(422)
                .body("reason", equalTo("BUDGET_EXCEEDED")).body("limit", equalTo("2000")).body("value", equalTo("6500"));
        assertEquals(0, FakeEngine.ordersFor("ops-" + refused).size());
    }

    @Test
    void aSignalThatOnlyReducesThePositionIsNeverCut() throws IOException {
        policy("{\"method\":\"EQUAL\",\"max_share\":\"0.02\",\"min_share\":\"0\",\"cooldown\":\"1s\",\"on_over_budget\":\"REJECT\"}");
        run();
        pool.query("INSERT INTO ops.positions (venue, symbol, model, quantity, average_price, realized_pnl, fees, mark_price, unrealized_pnl, "
                + "updated_at) VALUES ('PAPER', 'BTCUSDT', 'mean-reversion', 0.5, 65000, 0, 0, 65000, 0, now()) ON CONFLICT (venue, symbol, model) "
                + "DO UPDATE SET quantity = 0.5").execute().await().atMost(Duration.ofSeconds(5));
        String id = signalId();
        authed().body("{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"SELL\",\"quantity\":\"0.2\","
                + "\"model\":\"mean-reversion\"}").post("/strategy/signal").then().statusCode(202).body("budget", equalTo(null));
        assertEquals("0.2", FakeEngine.ordersFor("ops-" + id).get(0).get("quantity").asText());
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\","
                + "\"model\":\"mean-reversion\"}").post("/strategy/signal").then().statusCode(422).body("reason", equalTo("BUDGET_EXCEEDED"));
    }

    private static String layer(List<Map<String, Object>> settings, String key) {
        return (String) settings.stream().filter(s -> key.equals(s.get("key"))).findFirst().orElseThrow().get("layer");
    }

    private static String value(List<Map<String, Object>> settings, String key) {
        return (String) settings.stream().filter(s -> key.equals(s.get("key"))).findFirst().orElseThrow().get("value");
    }
}
