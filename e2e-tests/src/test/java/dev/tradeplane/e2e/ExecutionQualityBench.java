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

    /** One order's outcome. */
    record Outcome(BigDecimal shortfallBps, BigDecimal fees, BigDecimal filled, BigDecimal makerRatio, long timeToFillMs) {}

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
        String report = "date=" + java.time.LocalDate.now() + ", machine: " + Runtime.getRuntime().availableProcessors() + " cores, orders per algorithm="
                + ORDERS + ", quantity=" + QUANTITY + " BTC, recording=paper/btcusdt-sample.jsonl (looped)\n"
                + line("MARKET", market) + "\n" + line("CHASE_LIMIT (1 tick, 25 bps, 10 s, fallback MARKET)", chased) + "\n";
        Files.writeString(Path.of(System.getProperty("tradeplane.root", "..")).resolve("e2e-tests/target/execution-quality.txt"), report);
        System.out.println("[figures] " + report);
    }

    private static String line(String name, List<Outcome> outcomes) {
        BigDecimal n = BigDecimal.valueOf(outcomes.size());
        BigDecimal shortfall = outcomes.stream().map(Outcome::shortfallBps).reduce(BigDecimal.ZERO, BigDecimal::add).divide(n, 3, RoundingMode.HALF_EVEN);
        BigDecimal fees = outcomes.stream().map(Outcome::fees).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal filled = outcomes.stream().map(Outcome::filled).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal notional = filled.multiply(new BigDecimal("65000"));
        BigDecimal feeBps = notional.signum() == 0 ? BigDecimal.ZERO : fees.multiply(BigDecimal.valueOf(10_000)).divide(notional, 3, RoundingMode.HALF_EVEN);
        BigDecimal fillRatio = filled.divide(QUANTITY.multiply(n), 4, RoundingMode.HALF_EVEN);
        BigDecimal maker = outcomes.stream().map(Outcome::makerRatio).reduce(BigDecimal.ZERO, BigDecimal::add).divide(n, 3, RoundingMode.HALF_EVEN);
        long[] times = outcomes.stream().mapToLong(Outcome::timeToFillMs).sorted().toArray();
        return name + ": shortfall " + shortfall + " bps (average, vs the arrival mid; positive = worse), fees " + fees.setScale(4, RoundingMode.HALF_EVEN)
                + " USDT (~" + feeBps + " bps), net " + shortfall.add(feeBps) + " bps, fill ratio " + fillRatio + ", maker ratio " + maker
                + ", time to fill p50 " + times[times.length / 2] + " ms, p90 " + times[(int) (times.length * 0.9)] + " ms";
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
        return new Outcome(shortfall, new BigDecimal(o.getString("fees")), filled, BigDecimal.ZERO, ms);
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
                .until(() -> !"working".equals(engine().get("/orders/" + orderId + "/execution").jsonPath().getString("state")));
        JsonPath e = engine().get("/orders/" + orderId + "/execution").jsonPath();
        return new Outcome(e.getString("shortfall_bps") == null ? BigDecimal.ZERO : new BigDecimal(e.getString("shortfall_bps")),
                new BigDecimal(e.getString("fees")), new BigDecimal(e.getString("filled_quantity")),
                e.getString("maker_ratio") == null ? BigDecimal.ZERO : new BigDecimal(e.getString("maker_ratio")),
                e.get("time_to_fill_ms") == null ? 10_000 : e.getLong("time_to_fill_ms"));
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }
}
