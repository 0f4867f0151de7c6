package dev.tradeplane.ops.routing.rest;

import static dev.tradeplane.ops.support.Api.as;
import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The strategy registry through its API: create, update, the life cycle, what the router makes of it, the audit trail. */
@QuarkusTest
class ModelApiTest {

    @Inject
    Pool pool;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void retireWhatWasCreated() {
        for (String name : created) {
            as("cleanup", "ops").delete("/models/" + name);
        }
    }

    private String create(String json) {
        String name = "m-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(name);
        as("alice", "ops").body(json.replace("NAME", name)).post("/models").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/models/" + name))
                .body("name", equalTo(name));
        return name;
    }

    @Test
    void aNewModelIsACanaryAtATenthOfItsWeightAndEveryChangeIsAuditedAndPublished() {
        String name = create("""
                {"name":"NAME","target_weight":"0.5","venues":["PAPER"],"symbols":["BTCUSDT.PAPER"],"owner":"alice",
                 "backtest":{"sharpe":"1.8","max_drawdown_pct":"7.5","win_rate":"0.55","trades":420}}""");
        as("bob", "read-only").get("/models/" + name).then().statusCode(200)
                .body("status", equalTo("canary")).body("weight", equalTo("0.05")).body("target_weight", equalTo("0.5"))
                .body("venues", equalTo(List.of("PAPER"))).body("symbols", equalTo(List.of("BTCUSDT.PAPER")))
                .body("backtest.sharpe", equalTo("1.8")).body("backtest.trades", equalTo(420)).body("version", equalTo(0));

        as("alice", "ops").post("/models/" + name + "/promote").then().statusCode(200).body("status", equalTo("active")).body("weight", equalTo("0.5"));
        as("alice", "ops").post("/models/" + name + "/pause?reason=maintenance").then().statusCode(200).body("status", equalTo("paused"))
                .body("weight", equalTo("0"));
        as("alice", "ops").post("/models/" + name + "/pause").then().statusCode(200).body("status", equalTo("paused"));
        as("alice", "ops").post("/models/" + name + "/resume").then().statusCode(200).body("status", equalTo("active"));
        as("alice", "ops").post("/models/" + name + "/demote").then().statusCode(200).body("status", equalTo("canary"));
        as("alice", "ops").delete("/models/" + name).then().statusCode(200).body("status", equalTo("retired"));
        as("alice", "ops").post("/models/" + name + "/resume").then().statusCode(409).contentType("application/problem+json");

        List<String> actions = rows("SELECT action FROM ops.audit WHERE subject = '" + name + "' ORDER BY seq", r -> r.getString("action"));
        assertEquals(List.of("model.create", "model.promote", "model.pause", "model.resume", "model.demote", "model.retire"), actions,
                "the second pause changed nothing and was not recorded");
        List<String> events = rows("SELECT event->'payload'->>'action' AS a FROM ops.outbox WHERE type = 'model.changed' "
                + "AND event->'payload'->'model'->>'name' = '" + name + "' ORDER BY occurred_at", r -> r.getString("a"));
        assertEquals(List.of("create", "promote", "pause", "resume", "demote", "retire"), events);
        as("bob", "read-only").queryParam("subject", name).get("/audit").then().statusCode(200)
                .body("actor", hasItem("jwt:alice")).body("action", hasItems("model.create", "model.retire"))
                .body("find { it.action == 'model.pause' }.detail.reason", equalTo("maintenance"));
        assertTrue(fileContains(Path.of("target/audit.jsonl"), "\"subject\":\"" + name + "\""), "the JSONL copy has the lines");
    }

    @Test
    void badPagingParametersAreProblemsNamingTheParameter() {
        for (String[] bad : List.of(new String[] {"/audit", "limit", "abc"}, new String[] {"/audit", "limit", "0"},
                new String[] {"/audit", "before", "yesterday"}, new String[] {"/canary/decisions", "limit", "1e3"})) {
            authed().queryParam(bad[1], bad[2]).get(bad[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad[1]));
        }
    }

    @Test
    void aPausedModelGetsNoSignalAndAModelOnlyTradesWhatItIsAllowedTo() {
        String name = create("""
                {"name":"NAME","target_weight":"1","symbols":["ETHUSDT.PAPER"]}""");
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\",\"model\":\""
                        + name + "\"}").post("/strategy/signal")
                .then().statusCode(422).body("reason", equalTo("MODEL_SCOPE"));
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"ETHUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\",\"model\":\""
                        + name + "\"}").post("/strategy/signal")
                .then().statusCode(202).body("model", equalTo(name));
        as("alice", "ops").post("/models/" + name + "/pause").then().statusCode(200);
        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"ETHUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\",\"model\":\""
                        + name + "\"}").post("/strategy/signal")
                .then().statusCode(422).body("reason", equalTo("MODEL_NOT_ENABLED"));
    }

    @Test
    void updatesReplaceTheDescriptionAndRefuseAStaleVersion() {
        String name = create("""
                {"name":"NAME","target_weight":"2","venues":["PAPER"]}""");
        as("alice", "ops").body("{\"target_weight\":\"3\",\"owner\":\"desk-7\",\"version\":0}").put("/models/" + name).then().statusCode(200)
                .body("target_weight", equalTo("3")).body("weight", equalTo("0.3")).body("owner", equalTo("desk-7"))
                .body("venues", equalTo(null)).body("version", equalTo(1));
        as("alice", "ops").body("{\"target_weight\":\"4\",\"version\":0}").put("/models/" + name).then().statusCode(409)
                .body("type", equalTo("https://tradeplane.dev/problems/version-conflict"));
        as("alice", "ops").body("{\"target_weight\":\"4\",\"status\":\"active\"}").put("/models/" + name).then().statusCode(400)
                .body("errors.field", hasItem("status"));
        as("alice", "ops").body("{\"target_weight\":\"1\"}").put("/models/no-such-model").then().statusCode(404);
    }

    @Test
    void badDescriptionsAreRefusedNamingEachFieldAndNothingIsWritten() {
        long before = count("SELECT count(*) AS n FROM ops.models");
        as("alice", "ops").body("""
                {"name":"Bad Name!","target_weight":"-1","venues":[],"symbols":["BTCUSDT"],"status":"active",
                 "backtest":{"win_rate":"1.5","max_drawdown_pct":"-3"}}""").post("/models").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "target_weight", "venues", "symbols", "status", "backtest.win_rate",
                        "backtest.max_drawdown_pct"));
        as("alice", "ops").body("{\"name\":\"trend-follower\",\"target_weight\":\"1\"}").post("/models").then().statusCode(409)
                .body("type", equalTo("https://tradeplane.dev/problems/conflict"));
        as("alice", "ops").body("{\"name\":").post("/models").then().statusCode(400);
        assertEquals(before, count("SELECT count(*) AS n FROM ops.models"));
    }

    private <T> List<T> rows(String sql, java.util.function.Function<Row, T> read) {
        List<T> out = new ArrayList<>();
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(5)).forEach(r -> out.add(read.apply(r)));
        return out;
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
    }

    private static boolean fileContains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
