package dev.tradeplane.engine.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.risk.BenchRisk;
import dev.tradeplane.engine.risk.RiskDecision;
import dev.tradeplane.engine.risk.RiskRails;
import dev.tradeplane.engine.risk.RiskRequest;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.paper.BenchInstruments;
import dev.tradeplane.engine.venue.paper.PaperInstrument;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderStatus;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import dev.tradeplane.model.WireJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's own work for one market order, everything but the database: the working order, the whole risk check
 * chain (every check on), the paper venue's matching, booking the fills into the batch (fill, position,
 * balances), the status change, and the JSON answer. Sampled per order, so the percentiles are per-order latencies.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OrderPathBenchmark {

    private static final InstrumentId BTC = new InstrumentId("BTCUSDT", "PAPER");
    private static final BigDecimal QUANTITY = new BigDecimal("0.001");

    private final ObjectMapper mapper = WireJson.newMapper();
    private PaperInstrument venue;
    private InstrumentState state;
    private RiskRails risk;
    private BenchRisk bench;
    private long orders;

    @Setup(Level.Iteration)
    public void setUp() {
        venue = BenchInstruments.paperBtc();
        Instrument rules = new Instrument("BTCUSDT.PAPER", "PAPER", "BTC", "USDT", new BigDecimal("0.01"), new BigDecimal("0.00001"),
                new BigDecimal("5"));
        state = new InstrumentState(BTC, rules, null);
        bench = new BenchRisk();
        risk = bench.rails;
    }

    @Benchmark
    public int marketOrder() throws Exception {
        Instant now = Instant.now();
        Side side = (++orders & 1) == 0 ? Side.BUY : Side.SELL;
        if (orders % 50 == 0) {
            venue.step(now);
        }
        OrderSpec spec = new OrderSpec(UUID.randomUUID(), "bench-" + orders, BTC, side, OrderType.MARKET, TimeInForce.IOC, null, null,
                null, null, false, null, "bench", null, null, now);
        WorkingOrder order = new WorkingOrder(spec, QUANTITY, null, null, false);
        BigDecimal touch = side == Side.BUY ? venue.top(now).ask() : venue.top(now).bid();
        RiskDecision decision = risk.check(new RiskRequest(BTC, state.rules(), "bench", side, OrderType.MARKET, QUANTITY, touch, null,
                venue.top(now).mid(), state.exposure(spec.id()), QUANTITY, QUANTITY, 1, false, false));
        if (decision instanceof RiskDecision.Rejected) {
            throw new IllegalStateException("rejected: " + decision);
        }
        VenueAck ack = venue.submit(new VenueOrder(spec.clientOrderId(), "BTCUSDT", side, OrderType.MARKET, TimeInForce.IOC, QUANTITY,
                null, false), now);
        LaneBatch batch = new LaneBatch(state, now);
        order.setVenueOrderId(ack.venueOrderId());
        for (VenueFill f : ack.fills()) {
            batch.fill(order, f);
        }
        if (order.status() != OrderStatus.FILLED) {
            throw new IllegalStateException("not filled: " + order.status());
        }
        batch.positions.forEach(state::setPosition);
        // What OrderStore does after the commit: the filled order leaves the exposure ledger.
        bench.ledger.apply(BTC, "bench", BigDecimal.ZERO, side, QUANTITY.negate(), -1);
        order.drainTransitions();
        return mapper.writeValueAsString(order.toWire()).length();
    }
}
