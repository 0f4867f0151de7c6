package dev.tradeplane.engine.execution;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * From a book update to ChaseLimit's decision, in process: one call of {@link ChaseDecision#decide} per touch, over
 * a cycle of 1024 touches that wander around the order's price (so holds, re-prices and the occasional fall-back all
 * happen, as on a live book).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChaseDecisionBenchmark {

    private static final BigDecimal TICK = new BigDecimal("0.01");
    private static final BigDecimal ARRIVAL = new BigDecimal("65000.005");
    private static final BigDecimal ORDER = new BigDecimal("65000.00");
    private static final BigDecimal MAX_BPS = new BigDecimal("25");
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant DEADLINE = NOW.plusSeconds(30);

    private final BigDecimal[] bids = new BigDecimal[1024];
    private final BigDecimal[] asks = new BigDecimal[1024];
    private int i;

    @Setup
    public void touches() {
        java.util.Random random = new java.util.Random(7);
        long bidTicks = 6_500_000;
        for (int k = 0; k < bids.length; k++) {
            bidTicks += random.nextInt(7) - 3;
            bids[k] = BigDecimal.valueOf(bidTicks, 2);
            asks[k] = BigDecimal.valueOf(bidTicks + 1 + random.nextInt(3), 2);
        }
    }

    @Benchmark
    public ChaseDecision.Decision decide() {
        int k = i++ & 1023;
        return ChaseDecision.decide(Side.BUY, ORDER, bids[k], asks[k], TICK, 1, ARRIVAL, MAX_BPS, DEADLINE, NOW);
    }
}
