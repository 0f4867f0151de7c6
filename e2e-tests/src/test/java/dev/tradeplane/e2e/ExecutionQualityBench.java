package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (CI does not run it): on the paper venue replaying the shipped BTCUSDT recording, 200
 * orders of 0.002 BTC (alternating BUY and SELL) sent as MARKET, then 200 worked by CHASE_LIMIT, through the engine's
 * API; per algorithm the average shortfall against the mid at arrival, fees, fill ratio, maker ratio and time to fill.
 * Run: {@code ./mvnw -DskipTests install && ./mvnw verify -pl e2e-tests -Dit.test=ExecutionQualityBench}; the figures
 * are in {@code e2e-tests/target/execution-quality.txt} (docs/BENCHMARKS.md).
 */
class ExecutionQualityBench {

    private static final int ORDERS = 200;
    private static final BigDecimal QUANTITY = new BigDecimal("0.002");
    private static final String CHASE = "{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":1,\"max_chase_bps\":\"25\",\"deadline_seconds\":10,\"fallback\":\"MARKET\"}";
    private static Stack stack;

    /**
     * One order's outcome. {@code shortfallBps} is null when nothing filled; {@code timeToFillMs} is null unless the
     * order filled completely.
     */
    record Outcome(BigDecimal shortfallBps, BigDecimal fees, BigDecimal filled, BigDecimal notional, BigDecimal makerRatio, Long timeToFillMs) {}

    @BeforeAll
    static void start() {
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_e2e"), TestInfrastructure.redis(),
                Map.of("TRADEPLANE_ALLOCATOR_ENABLED", "false"))
                .withEngineJvm("-Dtradeplane.paper.instruments.BTCUSDT.source=REPLAY",
                        "-Dtradeplane.paper.instruments.BTCUSDT.replay-file=classpath:paper/btcusdt-sample.jsonl")
                .start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void marketVersusChaseLimit() throws Exception {
        List<Outcome> market = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            market.add(marketOrder(i % 2 == 0 ? "BUY" : "SELL"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Outcome>> chases = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String side = i % 2 == 0 ? "BUY" : "SELL";
            chases.add(pool.submit(() -> chase(side)));
        }
        List<Outcome> chased = new ArrayList<>();
        for (Future<Outcome> f : chases) {
            chased.add(f.get());
        }
        pool.shutdown();
        String latency = given().baseUri(stack.engineUrl()).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("execution_decision_latency_seconds")).reduce("", (a, b) -> a + "\n  " + b);
        String report = "date=" + java.time.LocalDate.now() + ", machine: " + Runtime.getRuntime().availableProcessors() + " cores, orders per algorithm="
                + ORDERS + ", quantity=" + QUANTITY + " BTC, recording=paper/btcusdt-sample.jsonl (looped)\n"
                + line("MARKET", market) + "\n" + line("CHASE_LIMIT (1 tick, 25 bps, 10 s, fallback MARKET)", chased) + "\n"
                + "touch to re-price decision (engine metric):" + latency + "\n";
        Files.writeString(Path.of(System.getProperty("tradeplane.root", "..")).resolve("e2e-tests/target/execution-quality.txt"), report);
        System.out.println("[figures] " + report);
    }

    /**
     * The figures of one algorithm. Shortfall and maker ratio are averaged over the orders that filled (weighted by
     * nothing: each order counts once); fees in bps of the notional actually filled; time to fill over the orders that
     * filled completely (an order that did not is in the fill ratio, not in the times).
     */
    private static String line(String name, List<Outcome> outcomes) {
        List<Outcome> filledOnes = outcomes.stream().filter(o -> o.shortfallBps() != null).toList();
        BigDecimal n = BigDecimal.valueOf(Math.max(1, filledOnes.size()));
        BigDecimal shortfall = filledOnes.stream().map(Outcome::shortfallBps).reduce(BigDecimal.ZERO, BigDecimal::add).divide(n, 3, RoundingMode.HALF_EVEN);
        BigDecimal fees = outcomes.stream().map(Outcome::fees).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal filled = outcomes.stream().map(Outcome::filled).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal notional = outcomes.stream().map(Outcome::notional).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal feeBps = notional.signum() == 0 ? BigDecimal.ZERO : fees.multiply(BigDecimal.valueOf(10_000)).divide(notional, 3, RoundingMode.HALF_EVEN);
        BigDecimal fillRatio = filled.divide(QUANTITY.multiply(BigDecimal.valueOf(outcomes.size())), 4, RoundingMode.HALF_EVEN);
        BigDecimal maker = filledOnes.stream().map(Outcome::makerRatio).reduce(BigDecimal.ZERO, BigDecimal::add).divide(n, 3, RoundingMode.HALF_EVEN);
        long[] times = outcomes.stream().filter(o -> o.timeToFillMs() != null).mapToLong(Outcome::timeToFillMs).sorted().toArray();
        String timing = times.length == 0 ? "none filled completely"
                : "p50 " + times[times.length / 2] + " ms, p90 " + times[(int) (times.length * 0.9)] + " ms (" + times.length + " filled completely)";
        return name + ": shortfall " + shortfall + " bps (average over " + filledOnes.size() + " orders that filled, vs the arrival mid; positive = worse), fees "
                + fees.setScale(4, RoundingMode.HALF_EVEN) + " USDT (" + feeBps + " bps of the filled notional), net " + shortfall.add(feeBps)
                + " bps, fill ratio " + fillRatio + ", maker ratio " + maker + ", time to fill " + timing;
    }

    private static Outcome marketOrder(String side) {
        BigDecimal mid = new BigDecimal(engine().get("/market/BTCUSDT.PAPER").jsonPath().getString("mid"));
        long start = System.nanoTime();
        Response r = engine().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"" + side + "\",\"type\":\"MARKET\",\"quantity\":\"" + QUANTITY + "\",\"model\":\"bench-market\"}")
                .post("/orders");
        long ms = (System.nanoTime() - start) / 1_000_000;
        JsonPath o = r.jsonPath();
        BigDecimal filled = new BigDecimal(o.getString("filled_quantity"));
        BigDecimal average = o.getString("average_price") == null ? mid : new BigDecimal(o.getString("average_price"));
        BigDecimal shortfall = ("BUY".equals(side) ? average.subtract(mid) : mid.subtract(average)).multiply(BigDecimal.valueOf(10_000))
                .divide(mid, 6, RoundingMode.HALF_EVEN);
        return new Outcome(filled.signum() == 0 ? null : shortfall, new BigDecimal(o.getString("fees")), filled, filled.multiply(average),
                BigDecimal.ZERO, filled.compareTo(QUANTITY) >= 0 ? ms : null);
    }

    private static Outcome chase(String side) {
        String id = engine().header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"" + side + "\",\"type\":\"MARKET\",\"quantity\":\"" + QUANTITY
                        + "\",\"model\":\"bench-chase\",\"execution\":" + CHASE + "}")
                .post("/orders").then().extract().response().asString();
        if (!id.contains("\"id\"")) {
            throw new IllegalStateException("chase refused: " + id);
        }
        id = new JsonPath(id).getString("id");
        String orderId = id;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> !java.util.Set.of("working", "falling_back").contains(engine().get("/orders/" + orderId + "/execution").jsonPath().getString("state")));
        JsonPath e = engine().get("/orders/" + orderId + "/execution").jsonPath();
        BigDecimal filled = new BigDecimal(e.getString("filled_quantity"));
        BigDecimal average = e.getString("average_price") == null ? BigDecimal.ZERO : new BigDecimal(e.getString("average_price"));
        return new Outcome(e.getString("shortfall_bps") == null ? null : new BigDecimal(e.getString("shortfall_bps")),
                e.getString("fees") == null ? BigDecimal.ZERO : new BigDecimal(e.getString("fees")), filled, filled.multiply(average),
                e.getString("maker_ratio") == null ? BigDecimal.ZERO : new BigDecimal(e.getString("maker_ratio")),
                e.get("time_to_fill_ms") == null ? null : e.getLong("time_to_fill_ms"));
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }
}
