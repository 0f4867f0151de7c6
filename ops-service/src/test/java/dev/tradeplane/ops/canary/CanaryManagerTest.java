package dev.tradeplane.ops.canary;

import static dev.tradeplane.ops.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The canary manager on scripted records: fills, position changes and PnL samples written as the engines' events and
 * the allocator's samples would be. A good canary is promoted, a bad one retired, a thin record held; each decision
 * is stored with its statistics and published, and the promotion is the registry's.
 */
@QuarkusTest
class CanaryManagerTest {

    @Inject
    Pool pool;

    private String canary(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        as("ops", "ops").body("{\"name\":\"" + name + "\",\"target_weight\":\"1\",\"venues\":[\"NOWHERE\"]}").post("/models").then().statusCode(201);
        exec("UPDATE ops.models SET status_since = now() - interval '2 hours' WHERE name = $1", Tuple.of(name));
        return name;
    }

    /** n round trips: buy 1 then sell 1, each sell realizing {@code perTrip}; n PnL samples rising by {@code perSample}. */
    private void script(String model, int trips, String perTrip, String perSample, double noise) {
        Instant start = Instant.now().minus(Duration.ofMinutes(90));
        BigDecimal realized = BigDecimal.ZERO;
        for (int i = 0; i < trips; i++) {
            Instant at = start.plusSeconds(60L * i);
            event("order.filled", "{\"id\":\"" + UUID.randomUUID() + "\",\"model\":\"" + model + "\",\"symbol\":\"BTCUSDT\",\"venue\":\"PAPER\"}", at);
            position(model, "1", realized, at);
            event("order.filled", "{\"id\":\"" + UUID.randomUUID() + "\",\"model\":\"" + model + "\",\"symbol\":\"BTCUSDT\",\"venue\":\"PAPER\"}",
                    at.plusSeconds(30));
            realized = realized.add(new BigDecimal(perTrip));
            position(model, "0", realized, at.plusSeconds(30));
        }
        BigDecimal pnl = BigDecimal.ZERO;
        for (int i = 0; i < 40; i++) {
            pnl = pnl.add(new BigDecimal(perSample)).add(BigDecimal.valueOf(i % 2 == 0 ? noise : -noise));
            exec("INSERT INTO ops.model_pnl (model, at, pnl, equity) VALUES ($1, $2, $3, 100000)",
                    Tuple.of(model, start.plusSeconds(120L * i).atOffset(ZoneOffset.UTC), pnl));
        }
    }

    private void position(String model, String quantity, BigDecimal realized, Instant at) {
        event("position.changed", "{\"model\":\"" + model + "\",\"symbol\":\"BTCUSDT\",\"venue\":\"PAPER\",\"quantity\":\"" + quantity
                + "\",\"realized_pnl\":\"" + realized.toPlainString() + "\"}", at);
    }

    private void event(String type, String payload, Instant at) {
        String id = UUID.randomUUID().toString();
        exec("INSERT INTO ops.events (id, type, source, occurred_at, event) VALUES ($1::uuid, $2, 'engine', $3, $4::text::jsonb)",
                Tuple.of(id, type, at.atOffset(ZoneOffset.UTC), "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":\"" + at
                        + "\",\"source\":\"engine\",\"payload\":" + payload + "}"));
    }

    private void exec(String sql, Tuple args) {
        pool.preparedQuery(sql).execute(args).await().atMost(Duration.ofSeconds(5));
    }

    private static Map<String, Object> decisionFor(List<Map<String, Object>> decisions, String model) {
        return decisions.stream().filter(d -> model.equals(d.get("model"))).findFirst().orElseThrow(() -> new AssertionError("no decision for " + model));
    }

    @Test
    void aGoodCanaryIsPromotedABadOneRetiredAndAThinOneHeldEachWithItsEvent() {
        String good = canary("good");
        String bad = canary("bad");
        String thin = canary("thin");
        script(good, 25, "12", "10", 2);
        script(bad, 25, "-15", "-12", 2);
        script(thin, 3, "12", "10", 2);

        List<Map<String, Object>> decisions = as("ops", "ops").post("/canary/run").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> promoted = decisionFor(decisions, good);
        assertEquals("promote", promoted.get("decision"), promoted.toString());
        assertEquals("active", promoted.get("status_after"));
        Map<?, ?> stats = (Map<?, ?>) promoted.get("stats");
        assertEquals(50, stats.get("trades"));
        assertEquals("1", stats.get("win_rate"));
        assertTrue(new BigDecimal((String) stats.get("sharpe")).compareTo(BigDecimal.ONE) >= 0, stats.toString());
        assertEquals("retired", decisionFor(decisions, bad).get("status_after"), decisionFor(decisions, bad).toString());
        assertEquals("demote", decisionFor(decisions, bad).get("decision"));
        assertEquals("hold", decisionFor(decisions, thin).get("decision"));
        assertTrue(((String) decisionFor(decisions, thin).get("reason")).startsWith("not enough evidence"));

        as("viewer", "read-only").get("/models/" + good).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("active"));
        as("viewer", "read-only").get("/models/" + bad).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("retired"));
        JsonPath audit = as("viewer", "read-only").queryParam("subject", good).get("/audit").then().extract().jsonPath();
        assertTrue(audit.getList("actor").contains("canary-manager"), "the promotion is audited as the canary manager's");
        long events = pool.preparedQuery("SELECT count(*) AS n FROM ops.outbox WHERE type = 'model.canary_decision' AND event->'payload'->>'model' = ANY($1)")
                .execute(Tuple.of(new String[] {good, bad, thin})).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
        assertEquals(3, events, "each decision is published");

        List<Map<String, Object>> again = as("ops", "ops").post("/canary/run").then().statusCode(200).extract().jsonPath().getList("$");
        assertTrue(again.stream().noneMatch(d -> thin.equals(d.get("model"))), "a hold after a hold is not news");
        as("viewer", "read-only").queryParam("model", good).get("/canary/decisions").then().statusCode(200)
                .body("[0].decision", org.hamcrest.Matchers.equalTo("promote"))
                .body("[0].thresholds.promote_sharpe", org.hamcrest.Matchers.equalTo("1"));
        for (String m : List.of(good, thin)) {
            as("ops", "ops").delete("/models/" + m);
        }
    }
}
