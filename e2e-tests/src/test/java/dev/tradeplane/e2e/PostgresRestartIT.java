package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.Databases;
import dev.tradeplane.local.EmbeddedPostgresServer;
import dev.tradeplane.local.Ports;
import dev.tradeplane.local.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 3: PostgreSQL (a server of the test's own, durable, on its own port) is stopped for a few seconds during
 * a load and started again. Neither service is restarted: both recover their pools. While the database is down
 * readiness says so and requests are answered 503; afterwards every signal has exactly one order and nothing was
 * written half-way.
 */
class PostgresRestartIT {

    private static final int SIGNALS = 600;
    private static final String DATABASE = "tradeplane_pg_fault";
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static Path dir;
    private static int port;
    private static EmbeddedPostgresServer postgres;
    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tradeplane-pg-fault");
        port = Ports.freePort();
        postgres = EmbeddedPostgresServer.start(dir, port);
        Databases.createIfMissing(postgres.endpoint("postgres"), DATABASE);
        Map<String, String> env = new HashMap<>(FaultEnv.FAST);
        env.put("TRADEPLANE_RECONCILIATION_INTERVAL", "5s");
        stack = new Stack(postgres.endpoint(DATABASE), TestInfrastructure.redis(), env).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theServicesRideOutAPostgresRestartWithoutLosingOrDoublingAnything() throws Exception {
        String prefix = "pg-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SIGNALS; i++) {
            ids.add(prefix + i);
        }
        long enginePid = stack.engine.pid();
        long opsPid = stack.ops.pid();
        SignalLoad load = new SignalLoad(stack.opsUrl(), Stack.TOKEN).holdAfter(SIGNALS / 4);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                load.run(ids, "BTCUSDT.PAPER", 8, Duration.ofMinutes(3));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofMinutes(1)).until(() -> load.completed.get() >= SIGNALS / 4);
        int before = load.completed.get();
        postgres.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready(stack.engineUrl()) == 503 && ready(stack.opsUrl()) == 503);
        load.release();
        Thread.sleep(OUTAGE.toMillis());
        int completedDuringOutage = load.completed.get() - before;
        postgres = EmbeddedPostgresServer.start(dir, port);
        await().atMost(Duration.ofSeconds(60)).until(() -> ready(stack.engineUrl()) == 200 && ready(stack.opsUrl()) == 200);
        running.get();

        assertTrue(stack.engine.isAlive() && stack.engine.pid() == enginePid, "the engine was not restarted");
        assertTrue(stack.ops.isAlive() && stack.ops.pid() == opsPid, "OPS was not restarted");
        assertEquals(0, load.count(500), "no answer was a 500");
        assertTrue(load.count(503) > 0, "requests during the outage were answered 503");
        assertEquals(SIGNALS, load.acknowledged(), "every signal was placed in the end: " + load.finalStatus.values().stream()
                .filter(s -> s != 202).toList());

        Ledger ledger = new Ledger(stack);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> ledger.ordersInFlight() == 0);
        Map<String, Integer> orders = ledger.ordersPerClientId("ops-" + prefix);
        Set<String> doubled = new HashSet<>();
        orders.forEach((clientId, n) -> {
            if (n != 1) {
                doubled.add(clientId);
            }
        });
        long missing = ids.stream().filter(id -> !orders.containsKey("ops-" + id)).count();
        assertEquals(Set.of(), doubled, "doubled orders");
        assertEquals(0, missing, "acknowledged signals without an order");
        assertEquals(Set.of(), ledger.positionsNotEqualToFills(), "positions equal the sum of fills");

        List<Map<String, Object>> reports = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN)
                .post("/reconciliation/run").then().statusCode(200).extract().jsonPath().getList("$");
        List<Object> mismatches = new ArrayList<>();
        reports.forEach(r -> mismatches.addAll((List<?>) r.get("mismatches")));
        assertEquals(List.of(), mismatches, "the engine matches the venue");

        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.opsFillIds().containsAll(ledger.engineFillIds()));
        assertEquals(ledger.engineFillIds(), ledger.opsFillIds(), "OPS' view of fills is the engine's");
        assertEquals(ledger.opsEventIds().size(), ledger.opsEventRows(), "each event stored once");

        Figures.record("postgres-restart", "signals=" + SIGNALS + ", faults=1 (PostgreSQL stopped for " + OUTAGE.toSeconds()
                + " s and restarted), completed before=" + before + ", completed during the outage=" + completedDuringOutage
                + ", acknowledged=" + load.acknowledged() + ", orders=" + orders.size() + ", lost=" + missing + ", doubled=" + doubled.size()
                + ", 503s=" + load.count(503) + ", connection failures=" + load.count(-1) + ", 500s=" + load.count(500)
                + ", service restarts=0");
    }

    private static int ready(String baseUrl) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
