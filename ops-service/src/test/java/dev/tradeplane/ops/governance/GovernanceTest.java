package dev.tradeplane.ops.governance;

import static dev.tradeplane.ops.support.Api.as;
import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.support.FakeEngine;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped example policies, loaded from {@code policies/} as they are, each fire on the events they describe
 * (published on the real Redis stream, as an engine or OPS would) and do what they say; a refused file keeps its
 * earlier version in force. Each action is in the audit trail with its policy, trigger and result.
 */
@QuarkusTest
class GovernanceTest {

    private static final Path SHIPPED = Path.of("..", "policies");
    private static final List<String> EXAMPLES = List.of("drawdown-pause.yaml", "reject-storm-kill-switch.yaml", "reject-storm-alert.yaml",
            "engine-unreachable-alert.yaml", "losing-model-reduce.yaml");

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "tradeplane.events.stream")
    String stream;

    @ConfigProperty(name = "tradeplane.governance.dir")
    String dir;

    @ConfigProperty(name = "tradeplane.events.consumer-name")
    String consumerName;

    private final List<String> models = new ArrayList<>();

    @BeforeEach
    void loadTheExamples() throws IOException {
        Files.createDirectories(Path.of(dir));
        for (String file : EXAMPLES) {
            Files.copy(SHIPPED.resolve(file), Path.of(dir, file), StandardCopyOption.REPLACE_EXISTING);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/policies").jsonPath().getInt("in_force") == EXAMPLES.size());
    }

    @AfterEach
    void clear() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/policies").jsonPath().getInt("in_force") == 0);
        for (String name : models) {
            as("cleanup", "ops").delete("/models/" + name);
        }
        FakeEngine.mode(FakeEngine.Mode.NORMAL);
        as("cleanup", "ops").body("{}").post("/trading/resume").then().statusCode(200);
        as("cleanup", "ops").body("{\"venue\":\"PAPER\"}").post("/trading/resume").then().statusCode(200).body("size()", equalTo(0));
    }

    /**
     * An event an earlier read stored without learning so (its commit outlived the wait for it) is read again from the
     * stream: it is stored already, but nothing acted on it yet, so it is acted on now rather than dropped as a duplicate.
     */
    @Test
    void anEventStoredByAnAttemptThatDidNotLearnItIsActedOnWhenReadAgain() {
        String model = activeModel("2");
        storedThenStreamed(model, consumerName);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as("viewer", "read-only").get("/models/" + model).then()
                .body("status", equalTo("paused")).body("status_reason", containsString("policy:drawdown-pause")));
    }

    /** The same, but another OPS replica stored it (an outbox duplicate reaching this one): dropped, not acted on twice. */
    @Test
    void anEventAnotherReplicaStoredIsADuplicateHere() {
        String model = activeModel("2");
        storedThenStreamed(model, "another-replica");
        // Once a sentinel published after it is stored, the duplicate has been read: the model is as it was.
        String sentinel = publish("test.sentinel", "{}");
        await().atMost(Duration.ofSeconds(15)).until(() -> pool.preparedQuery("SELECT count(*) AS n FROM ops.events WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(sentinel))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong("n") == 1);
        as("viewer", "read-only").get("/models/" + model).then().body("status", equalTo("active"));
    }

    /**
     * A drawdown event for {@code model}, stored in the events table as consumer {@code storedBy} stored it, then put
     * on the stream as the outbox would (again).
     */
    private void storedThenStreamed(String model, String storedBy) {
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"type\":\"model.performance\",\"time\":\"" + Instant.now() + "\",\"source\":\"test\","
                + "\"payload\":" + performance(model, "7.5", "0.8") + "}";
        pool.preparedQuery("INSERT INTO ops.events (id, type, source, occurred_at, event, stored_by) "
                        + "VALUES ($1, 'model.performance', 'test', now(), $2::text::jsonb, $3)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id), json, storedBy)).await().atMost(Duration.ofSeconds(10));
        redis.stream(String.class).xadd(stream, Map.of("id", id, "type", "model.performance", "event", json));
    }

    @Test
    void getPoliciesShowsEveryExampleInForce() {
        JsonPath policies = authed().get("/policies").then().statusCode(200).extract().jsonPath();
        assertEquals(EXAMPLES.stream().sorted().toList(), policies.getList("policies.file"));
        assertEquals(List.of("in_force"), policies.getList("policies.state").stream().distinct().toList());
        assertEquals("drawdown-pause", policies.getString("policies.find { it.file == 'drawdown-pause.yaml' }.name"));
        assertEquals("stats.max_drawdown_pct", policies.getString("policies.find { it.file == 'drawdown-pause.yaml' }.definition.match.threshold.value"));
    }

    @Test
    void aDrawdownPausesTheModelAndItsNextSignalIsRefusedWithThePolicyAsTheReason() throws InterruptedException {
        String model = activeModel("2");
        authed().body(signal(model)).post("/strategy/signal").then().statusCode(202);
        String small = publish("model.performance", performance(model, "3.2", "0.8"));
        String large = publish("model.performance", performance(model, "7.5", "0.8"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as("viewer", "read-only").get("/models/" + model).then()
                .body("status", equalTo("paused")).body("status_reason", containsString("policy:drawdown-pause")));
        authed().body(signal(model)).post("/strategy/signal").then().statusCode(422).contentType("application/problem+json")
                .body("reason", equalTo("MODEL_NOT_ENABLED"))
                .body("detail", containsString("policy:drawdown-pause"))
                .body("detail", containsString("stats.max_drawdown_pct 7.5 above 5"));

        List<Map<String, Object>> actions = audit("policy:drawdown-pause", 2);
        Map<String, Object> pause = find(actions, "governance.pause");
        assertEquals("ok", pause.get("result"));
        assertEquals("model:" + model, pause.get("subject"));
        assertEquals("drawdown-pause", pause.get("policy"));
        assertEquals(List.of(large), trigger(pause).get("events"), "the event that fired it, not the one below the limit: " + small);
        Map<String, Object> alert = find(actions, "governance.alert");
        assertTrue(String.valueOf(detail(alert).get("detail")).contains("paused model " + model + ": drawdown 7.5% is above 5%"), alert.toString());
        awaitEvent("governance.action", e -> e.contains(model) && e.contains("\"action\":\"pause\""));
        awaitEvent("alert.raised", e -> e.contains(model) && e.contains("\"channel\":\"telegram\""));

        // Within the cooldown a worse figure does nothing more.
        publish("model.performance", performance(model, "12", "0.8"));
        untilTheDaemonCaughtUp();
        // Its lines: the model's own change (model.pause), and the two actions.
        assertEquals(List.of("governance.alert", "governance.pause", "model.pause"),
                audit("policy:drawdown-pause", 0).stream().map(a -> String.valueOf(a.get("action"))).sorted().toList());
    }

    @Test
    void threeRiskRejectsWithinAMinuteTripTheKillSwitchOfEveryEngineButVenueRejectsDoNotCount() throws InterruptedException {
        int before = FakeEngine.KILL_SWITCH_TRIPS.size();
        publish("order.rejected", rejected("m-a", "MAX_POSITION"));
        publish("order.rejected", rejected("m-b", "POST_ONLY_WOULD_TAKE"));
        publish("order.rejected", rejected("m-b", "DAILY_LOSS"));
        untilTheDaemonCaughtUp();
        assertEquals(before, FakeEngine.KILL_SWITCH_TRIPS.size(), "two risk rejects and a venue reject are not a storm");
        String third = publish("order.rejected", rejected("m-c", "max_order_notional"));

        await().atMost(Duration.ofSeconds(15)).until(() -> FakeEngine.KILL_SWITCH_TRIPS.size() == before + 1);
        JsonNode trip = FakeEngine.KILL_SWITCH_TRIPS.get(before);
        assertTrue(trip.get("reason").asText().contains("reject-storm-kill-switch"), trip.toString());
        assertFalse(trip.get("flatten").asBoolean());
        List<Map<String, Object>> actions = audit("policy:reject-storm-kill-switch", 2);
        Map<String, Object> kill = find(actions, "governance.kill_switch");
        assertEquals("ok", kill.get("result"));
        assertEquals("engines", kill.get("subject"));
        assertEquals(3, trigger(kill).get("count"));
        assertEquals(third, ((List<?>) trigger(kill).get("events")).get(2));
        assertTrue(String.valueOf(detail(find(actions, "governance.alert")).get("detail")).contains("3 risk rejects within 1m"));
    }

    @Test
    void twentyRejectsOfOneModelRaiseAnAlertNamingIt() throws InterruptedException {
        String model = "storm-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 19; i++) {
            publish("order.rejected", rejected(model, "NO_LIQUIDITY"));
        }
        publish("order.rejected", rejected("someone-else", "NO_LIQUIDITY"));
        untilTheDaemonCaughtUp();
        assertTrue(audit("policy:reject-storm-alert", 0).stream().noneMatch(a -> String.valueOf(a.get("detail")).contains(model)));
        publish("order.rejected", rejected(model, "NO_LIQUIDITY"));
        await().atMost(Duration.ofSeconds(15)).until(() -> audit("policy:reject-storm-alert", 0).stream()
                .anyMatch(a -> String.valueOf(a.get("detail")).contains("20 orders of model " + model + " rejected in the last 5m")));
    }

    @Test
    void anUnreachableEngineRaisesAnAlertAndAPolicyCanPauseItsVenue() throws IOException {
        Files.writeString(Path.of(dir, "venue-pause.yaml"), """
                name: venue-pause
                description: Pause a venue whose engine is unreachable.
                enabled: true
                match:
                  type: engine.circuit_changed
                  threshold: {value: state, equals: OPEN}
                actions:
                  - pause: {scope: venue}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> authed().get("/policies").jsonPath().getInt("in_force") == EXAMPLES.size() + 1);
        FakeEngine.mode(FakeEngine.Mode.DOWN);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            authed().body(signal(null)).post("/strategy/signal");
            return !audit("policy:engine-unreachable-alert", 0).isEmpty();
        });
        Map<String, Object> alert = audit("policy:engine-unreachable-alert", 1).get(0);
        assertTrue(String.valueOf(detail(alert).get("detail")).contains("the engine for PAPER is unreachable"), alert.toString());
        await().atMost(Duration.ofSeconds(15)).until(() -> !audit("policy:venue-pause", 0).isEmpty());
        authed().get("/trading/pauses").then().statusCode(200).body("[0].venue", equalTo("PAPER"))
                .body("[0].actor", equalTo("policy:venue-pause")).body("[0].policy", equalTo("venue-pause"));

        FakeEngine.mode(FakeEngine.Mode.NORMAL);
        authed().body(signal(null)).post("/strategy/signal").then().statusCode(422).body("reason", equalTo("TRADING_PAUSED"))
                .body("detail", containsString("trading on PAPER is paused"));
        as("olga", "ops").body("{\"venue\":\"PAPER\",\"reason\":\"engine is back\"}").post("/trading/resume").then().statusCode(200)
                .body("size()", equalTo(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> authed().body(signal(null)).post("/strategy/signal").statusCode() == 202);
    }

    @Test
    void aNegativeSharpeHalvesTheModelsWeight() {
        String model = activeModel("3");
        publish("model.performance", performance(model, "1", "0.4"));
        publish("model.performance", performance(model, "1", "-1.25"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> as("viewer", "read-only").get("/models/" + model).then()
                .body("target_weight", equalTo("1.5")).body("status", equalTo("active")));
        Map<String, Object> reduce = find(audit("policy:losing-model-reduce", 2), "governance.reduce_exposure");
        assertEquals("ok", reduce.get("result"));
        assertTrue(String.valueOf(detail(reduce).get("detail")).contains("target weight 3 -> 1.5"), reduce.toString());
        assertEquals("-1.25", trigger(reduce).get("value"));
    }

    @Test
    void anInvalidFileIsRefusedWithItsReasonsAndItsEarlierVersionStaysInForce() throws IOException {
        Path file = Path.of(dir, "custom.yaml");
        Files.writeString(file, """
                name: custom-trades
                description: Log when a model passes 1000 trades.
                enabled: true
                match:
                  type: model.performance
                  threshold: {value: stats.trades, above: 1000}
                actions:
                  - alert: {channel: log, message: "{model} passed 1000 trades"}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> "in_force".equals(state("custom.yaml")));
        Files.writeString(file, """
                name: custom-trades
                description: Log when a model passes 1000 trades.
                enabled: true
                match:
                  type: model.performance
                  treshold: {value: stats.trades, above: 1000}
                cooldown: soon
                actions:
                  - pause: {scope: model}
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> "refused_earlier_version_in_force".equals(state("custom.yaml")));
        JsonPath policies = authed().get("/policies").jsonPath();
        String errors = policies.getString("policies.find { it.file == 'custom.yaml' }.errors");
        assertTrue(errors.contains("match.treshold: unknown key"), errors);
        assertTrue(errors.contains("match.threshold: required"), errors);
        assertTrue(errors.contains("cooldown: a positive duration"), errors);
        assertEquals("log", policies.getString("policies.find { it.file == 'custom.yaml' }.definition.actions[0].alert.channel"),
                "the definition in force is the earlier one");

        String model = "busy-" + UUID.randomUUID().toString().substring(0, 6);
        publish("model.performance", "{\"model\":\"" + model + "\",\"status\":\"active\",\"stats\":{\"trades\":1500}}");
        await().atMost(Duration.ofSeconds(15)).until(() -> audit("policy:custom-trades", 0).stream()
                .anyMatch(a -> String.valueOf(a.get("detail")).contains(model + " passed 1000 trades")));

        Files.writeString(Path.of(dir, "bad.yaml"), "name: [not, a, name\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> "refused".equals(state("bad.yaml")));
        assertTrue(authed().get("/policies").jsonPath().getString("policies.find { it.file == 'bad.yaml' }.errors").contains("not valid YAML"));
    }

    @Test
    void operatorsPauseAndResumeAVenueOrEverything() {
        as("olga", "ops").body("{\"reason\":\"exchange maintenance\",\"venue\":\"NOWHERE\"}").post("/trading/pause").then().statusCode(400)
                .contentType("application/problem+json");
        as("olga", "ops").body("{}").post("/trading/pause").then().statusCode(400).body("errors[0].field", equalTo("reason"));
        as("olga", "ops").body("{\"reason\":\"exchange maintenance\"}").post("/trading/pause").then().statusCode(200)
                .body("[0].scope", equalTo("global")).body("[0].actor", equalTo("jwt:olga"));
        as("olga", "ops").body("{\"reason\":\"again\"}").post("/trading/pause").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].reason", equalTo("exchange maintenance"));
        authed().body(signal(null)).post("/strategy/signal").then().statusCode(422).body("reason", equalTo("TRADING_PAUSED"))
                .body("detail", containsString("all trading is paused")).body("detail", containsString("exchange maintenance"));
        as("olga", "ops").body("{}").post("/trading/resume").then().statusCode(200).body("size()", equalTo(0));
        authed().body(signal(null)).post("/strategy/signal").then().statusCode(202);
        List<Map<String, Object>> entries = authed().queryParam("actor", "jwt:olga").queryParam("limit", 10).get("/audit").jsonPath().getList("$");
        assertEquals(List.of("trading.resume", "trading.pause"), entries.stream().map(e -> e.get("action")).filter(a -> String.valueOf(a).startsWith("trading."))
                .limit(2).toList(), "one pause (the second changed nothing) and one resume");
    }

    // ---- helpers

    private String activeModel(String weight) {
        String name = "gov-" + UUID.randomUUID().toString().substring(0, 8);
        models.add(name);
        as("alice", "ops").body("{\"name\":\"" + name + "\",\"target_weight\":\"" + weight + "\",\"status\":\"canary\"}").post("/models")
                .then().statusCode(201);
        as("alice", "ops").post("/models/" + name + "/promote").then().statusCode(200).body("status", equalTo("active"));
        return name;
    }

    private static String signal(String model) {
        return "{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\""
                + (model == null ? "" : ",\"model\":\"" + model + "\"") + "}";
    }

    private static String performance(String model, String drawdown, String sharpe) {
        return "{\"model\":\"" + model + "\",\"status\":\"active\",\"since\":\"2026-01-01T00:00:00Z\",\"stats\":{\"trades\":40,\"sharpe\":" + sharpe
                + ",\"max_drawdown_pct\":" + drawdown + ",\"win_rate\":0.5,\"round_trips\":20,\"age_seconds\":7200},\"at\":\"" + Instant.now() + "\"}";
    }

    private static String rejected(String model, String reason) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"venue\":\"PAPER\",\"side\":\"BUY\",\"status\":\"REJECTED\","
                + "\"reject_reason\":\"" + reason + "\",\"model\":\"" + model + "\"}";
    }

    /** Publishes an event on the Redis stream as a service would; returns its id. */
    private String publish(String type, String payload) {
        return dev.tradeplane.ops.support.Bus.publish(redis, stream, type, "test", payload);
    }

    /** The audit lines of an actor, newest first, once there are at least {@code atLeast}. */
    private static List<Map<String, Object>> audit(String actor, int atLeast) {
        List<Map<String, Object>> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            out.clear();
            out.addAll(authed().queryParam("actor", actor).get("/audit").then().statusCode(200).extract().jsonPath().getList("$"));
            return out.size() >= atLeast;
        });
        return out;
    }

    private static Map<String, Object> find(List<Map<String, Object>> entries, String action) {
        return entries.stream().filter(e -> action.equals(e.get("action"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + entries));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("trigger");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("detail");
    }

    private static String state(String file) {
        return authed().get("/policies").jsonPath().getString("policies.find { it.file == '" + file + "' }.state");
    }

    /** Waits until OPS stored an event of this type whose JSON satisfies {@code test}. */
    private void awaitEvent(String type, java.util.function.Predicate<String> test) {
        await().atMost(Duration.ofSeconds(15)).until(() -> pool.preparedQuery("SELECT event::text AS e FROM ops.events WHERE type = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(type))
                .map(rows -> {
                    boolean found = false;
                    for (io.vertx.mutiny.sqlclient.Row r : rows) {
                        found |= test.test(r.getString("e").replace("\": ", "\":"));
                    }
                    return found;
                }).await().atMost(Duration.ofSeconds(5)));
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    GovernanceDaemon governance;

    /**
     * Waits until the daemon has acted on everything published so far (for asserting that nothing happened): OPS
     * reads the stream in order and hands each event to the policies before it stores the next, so once a sentinel
     * published now is stored, every earlier event was matched and its actions queued; then the queued actions are
     * waited for.
     */
    private void untilTheDaemonCaughtUp() throws InterruptedException {
        String sentinel = publish("test.sentinel", "{\"note\":\"nothing but a marker\"}");
        awaitEvent("test.sentinel", e -> e.contains(sentinel));
        governance.drain(Duration.ofSeconds(30));
    }
}
