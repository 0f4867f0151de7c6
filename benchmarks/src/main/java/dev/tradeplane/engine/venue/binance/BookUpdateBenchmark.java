package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.execution.ChaseDecision;
import dev.tradeplane.engine.market.book.L2Book;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.model.Side;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * From a Binance depth update arriving as text to ChaseLimit's decision, in process: parse the message, apply it to
 * the local book by Binance's sequence rules ({@link DepthSync}), read the touch, decide. The messages are a recorded-
 * like stream of 4096 diffs (1 to 4 level changes each, most near the touch, around a 65000 book of 100 levels a
 * side), replayed in a loop
 * with continuing sequence numbers. The decision is a chased BUY's: its price follows the decisions (a re-price moves
 * it to the bid; a bid that falls to or through it counts as a fill and the next chase starts at the bid), so the
 * stream makes holds and re-prices as a chase meets them; the mix is printed at the end. The WebSocket's own frame
 * decoding is not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BookUpdateBenchmark {

    private static final int MESSAGES = 4096;
    private static final String PREFIX = "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1763805600000,"
            + "\"s\":\"BTCUSDT\",\"U\":";
    private static final BigDecimal TICK = new BigDecimal("0.01");
    private static final BigDecimal ARRIVAL = new BigDecimal("65000.005");
    private static final BigDecimal MAX_BPS = new BigDecimal("25");
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant DEADLINE = NOW.plusSeconds(30);

    private final ObjectMapper mapper = new ObjectMapper();
    /** Each message's text after its update ids ({@code ,"b":[...],"a":[...]}}). */
    private final String[] bodies = new String[MESSAGES];
    private DepthSync sync;
    private long sequence;
    private int i;
    private BigDecimal orderPrice;
    private long holds;
    private long reprices;

    @Setup
    public void stream() throws IOException {
        Random random = new Random(11);
        for (int k = 0; k < MESSAGES; k++) {
            StringBuilder b = new StringBuilder("[");
            StringBuilder a = new StringBuilder("[");
            for (int c = 0; c < 1 + random.nextInt(4); c++) {
                boolean bid = random.nextBoolean();
                // Most changes are near the touch, as on a real book: a level's distance from it is half-normal (sd 4 ticks).
                int away = Math.min(99, (int) Math.abs(random.nextGaussian() * 4));
                long ticks = bid ? 6_499_999 - away : 6_500_001 + away;
                String level = "[\"" + BigDecimal.valueOf(ticks, 2).toPlainString() + "\",\"" + (random.nextInt(5) == 0 ? "0.00000000"
                        : BigDecimal.valueOf(1 + random.nextInt(50_000), 5).toPlainString()) + "\"]";
                StringBuilder side = bid ? b : a;
                side.append(side.length() > 1 ? "," : "").append(level);
            }
            bodies[k] = ",\"b\":" + b + "],\"a\":" + a + "]}}";
        }
        sync = new DepthSync();
        List<L2Book.Change> bids = new ArrayList<>();
        List<L2Book.Change> asks = new ArrayList<>();
        for (int l = 0; l < 100; l++) {
            bids.add(new L2Book.Change(BigDecimal.valueOf(6_499_999 - l, 2), new BigDecimal("0.5")));
            asks.add(new L2Book.Change(BigDecimal.valueOf(6_500_001 + l, 2), new BigDecimal("0.5")));
        }
        sync.onDiff(new DepthSync.Diff(1, 1, List.of(), List.of(), NOW));
        sync.onSnapshot(new DepthSync.Snapshot(1, bids, asks), NOW);
        sequence = 1;
    }

    @Benchmark
    public ChaseDecision.Decision updateToDecision() throws IOException {
        long next = ++sequence;
        String text = PREFIX + next + ",\"u\":" + next + bodies[i++ & (MESSAGES - 1)];
        JsonNode data = mapper.readTree(text).get("data");
        sync.onDiff(new DepthSync.Diff(data.get("U").asLong(), data.get("u").asLong(), BinanceJson.levels(data.get("b")),
                BinanceJson.levels(data.get("a")), NOW));
        TopOfBook top = sync.book().top().orElse(null);
        if (top == null) {
            return null;
        }
        if (orderPrice == null || top.bid().compareTo(orderPrice) <= 0) {
            orderPrice = top.bid();
        }
        ChaseDecision.Decision d = ChaseDecision.decide(Side.BUY, orderPrice, top.bid(), top.ask(), TICK, 1, ARRIVAL, MAX_BPS, DEADLINE, NOW);
        if (d.kind() == ChaseDecision.Kind.REPRICE) {
            orderPrice = d.price();
            reprices++;
        } else {
            holds++;
        }
        return d;
    }

    @TearDown
    public void mix() {
        System.out.printf("%n[decisions] re-price %d, hold %d (%.1f%% re-prices)%n", reprices, holds, 100.0 * reprices / Math.max(1, reprices + holds));
    }
}
