package dev.tradeplane.ops.signal;

import static dev.tradeplane.ops.support.Api.as;
import static dev.tradeplane.ops.support.Api.authed;
import static dev.tradeplane.ops.support.Api.signalId;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.ops.support.FakeEngine;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A model's default execution works its MARKET signals that name none; a signal's own execution wins. */
@QuarkusTest
class ModelExecutionTest {

    @Inject
    Pool pool;

    @Test
    void aModelsDefaultExecutionGoesToTheEngineUnlessTheSignalSaysOtherwise() {
        String model = "exec-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice", "ops").body("{\"name\":\"" + model + "\",\"target_weight\":\"1\","
                        + "\"execution\":{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":20}}").post("/models").then().statusCode(201)
                .body("execution.algo", equalTo("CHASE_LIMIT")).body("execution.deadline_seconds", equalTo(20))
                .body("execution.reprice_ticks", equalTo(1)).body("execution.fallback", equalTo("MARKET"));
        as("alice", "ops").post("/models/" + model + "/promote").then().statusCode(200);

        String plain = signalId();
        authed().body("{\"signal_id\":\"" + plain + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\",\"model\":\"" + model + "\"}")
                .post("/strategy/signal").then().statusCode(202);
        JsonNode sent = FakeEngine.ordersFor("ops-" + plain).get(0);
        assertEquals("CHASE_LIMIT", sent.path("execution").path("algo").asText(), sent.toString());
        assertEquals(20, sent.path("execution").path("deadline_seconds").asInt());

        String own = signalId();
        authed().body("{\"signal_id\":\"" + own + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\",\"model\":\"" + model
                + "\",\"execution\":{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":5,\"fallback\":\"CANCEL\"}}").post("/strategy/signal").then().statusCode(202);
        assertEquals("CANCEL", FakeEngine.ordersFor("ops-" + own).get(0).path("execution").path("fallback").asText());

        String limit = signalId();
        authed().body("{\"signal_id\":\"" + limit + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"price\":\"60000\","
                + "\"quantity\":\"0.001\",\"model\":\"" + model + "\"}").post("/strategy/signal").then().statusCode(202);
        assertTrue(FakeEngine.ordersFor("ops-" + limit).get(0).path("execution").isMissingNode()
                || FakeEngine.ordersFor("ops-" + limit).get(0).path("execution").isNull(), "a LIMIT signal is sent as it is");

        authed().body("{\"signal_id\":\"" + signalId() + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"price\":\"60000\","
                + "\"quantity\":\"0.001\",\"execution\":{\"algo\":\"CHASE_LIMIT\"}}").post("/strategy/signal").then().statusCode(400)
                .body("errors[0].field", equalTo("execution"));
        String outOfRange = signalId();
        authed().body("{\"signal_id\":\"" + outOfRange + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.001\","
                + "\"execution\":{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"5000\"}}").post("/strategy/signal").then().statusCode(400)
                .body("errors[0].field", equalTo("execution.max_chase_bps"));
        assertTrue(FakeEngine.ordersFor("ops-" + outOfRange).isEmpty(), "refused before anything reached the engine");
        as("alice", "ops").body("{\"name\":\"bad-" + model + "\",\"target_weight\":\"1\",\"execution\":{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":0}}")
                .post("/models").then().statusCode(400).body("errors[0].field", equalTo("execution.deadline_seconds"));
        as("cleanup", "ops").delete("/models/" + model);
    }

    @Test
    void aModelsDefaultExecutionOutOfRangeIsA400NamingTheFieldAndWritesNothing() {
        long before = models();
        for (String execution : new String[] {"{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"1e-999999999\"}",
                "{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":1e-999999999}", "{\"algo\":\"CHASE_LIMIT\",\"max_chase_bps\":\"2.00005\"}"}) {
            as("alice", "ops").body("{\"name\":\"bps-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"target_weight\":\"1\",\"execution\":"
                            + execution + "}").post("/models").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("execution.max_chase_bps"));
        }
        as("alice", "ops").body("{\"name\":\"ticks-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"target_weight\":\"1\","
                        + "\"execution\":{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":2.7}}").post("/models").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("execution.reprice_ticks"));
        assertEquals(before, models(), "nothing written");
    }

    private long models() {
        return pool.query("SELECT count(*) AS n FROM ops.models").execute().map(rows -> rows.iterator().next().getLong("n"))
                .await().atMost(java.time.Duration.ofSeconds(5));
    }
}
