package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
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
 * Fault test 1: under a load of 2,000 signals the engine is killed with SIGKILL mid-way and started again. Every
 * signal that got a 2xx has exactly one order, every order is final or resting, positions equal the sum of fills and
 * match the venue, and no event is lost: OPS' fills are the engine's fills.
 */
class CrashIT {

    private static final int SIGNALS = 2_000;
    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_faults"), TestInfrastructure.redis(), FaultEnv.FAST).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killingTheEngineMidLoadLosesAndDoublesNothing() throws Exception {
        String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SIGNALS; i++) {
            ids.add(prefix + i);
        }
        SignalLoad load = new SignalLoad(stack.opsUrl(), Stack.TOKEN);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try {
                load.run(ids, "BTCUSDT.PAPER", 16, Duration.ofMinutes(4));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofMinutes(2)).until(() -> load.completed.get() >= SIGNALS / 3);
        int before = load.completed.get();
        stack.restartEngine(true);
        running.get();

        assertEquals(SIGNALS, load.finalStatus.size());
        assertEquals(0, load.count(500), "no answer was a 500");
        long acknowledged = load.acknowledged();
        assertEquals(SIGNALS, acknowledged, "every signal was placed in the end: " + load.finalStatus.values().stream()
                .filter(s -> s != 202).toList());

        Ledger ledger = new Ledger(stack);
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
        assertEquals(0, ledger.ordersInFlight(), "every order is final or resting");
        assertEquals(Set.of(), ledger.positionsNotEqualToFills(), "positions equal the sum of fills");

        List<Map<String, Object>> reports = given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN)
                .post("/reconciliation/run").then().statusCode(200).extract().jsonPath().getList("$");
        List<Object> mismatches = new ArrayList<>();
        reports.forEach(r -> mismatches.addAll((List<?>) r.get("mismatches")));
        assertEquals(List.of(), mismatches, "the engine matches the venue");

        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.opsFillIds().containsAll(ledger.engineFillIds()));
        Set<String> engineFills = ledger.engineFillIds();
        Set<String> opsFills = ledger.opsFillIds();
        assertEquals(engineFills, opsFills, "OPS' view of fills is the engine's");
        assertEquals(ledger.opsEventIds().size(), ledger.opsEventRows(), "each event stored once");

        Figures.record("crash", "signals=" + SIGNALS + ", completed before the kill=" + before + ", faults=1 (SIGKILL of the engine), "
                + "acknowledged=" + acknowledged + ", orders=" + orders.size() + ", lost=" + missing + ", doubled=" + doubled.size()
                + ", fills=" + engineFills.size() + ", fill events at OPS=" + opsFills.size() + ", 503s=" + load.count(503)
                + ", connection failures=" + load.count(-1) + ", 500s=" + load.count(500));
    }
}
