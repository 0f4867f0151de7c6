package dev.tradeplane.engine.risk;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
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
 * The whole pre-trade check chain for one limit order, every check switched on and passing (so every check runs):
 * kill switch, breakers, symbol lists, lot, tick, min notional, order quantity and notional (a symbol, a model and the
 * global scope), price band, position, daily loss, rate buckets, and the exposure ledger's gross, net and open-order
 * checks with the reservation (released after each call to keep the state steady). The ledger holds positions in
 * four instruments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RiskCheckBenchmark {

    private static final InstrumentId BTC = new InstrumentId("BTCUSDT", "PAPER");
    private static final Instrument RULES = new Instrument("BTCUSDT.PAPER", "PAPER", "BTC", "USDT", new BigDecimal("0.01"),
            new BigDecimal("0.00001"), new BigDecimal("5"));
    private static final BigDecimal QUANTITY = new BigDecimal("0.01");
    private static final BigDecimal PRICE = new BigDecimal("64990.00");
    private static final BigDecimal MID = new BigDecimal("65000.005");
    private static final Exposure EXPOSURE = new Exposure(new BigDecimal("0.5"), new BigDecimal("0.2"), new BigDecimal("0.1"));

    private BenchRisk risk;
    private RiskRequest request;

    @Setup(Level.Iteration)
    public void setUp() {
        risk = new BenchRisk();
        for (String symbol : new String[] {"BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"}) {
            risk.ledger.apply(new InstrumentId(symbol, "PAPER"), "bench", new BigDecimal("0.3"), Side.BUY, new BigDecimal("0.1"), 2);
        }
        risk.seeDailyPnl(ExposureLedger.modelScope("bench"), new BigDecimal("1000"), new BigDecimal("900"));
        request = new RiskRequest(BTC, RULES, "bench", Side.BUY, OrderType.LIMIT, QUANTITY, PRICE, PRICE, MID, EXPOSURE, QUANTITY,
                QUANTITY, 1, false, false);
    }

    @Benchmark
    public Object checkChain() {
        RiskDecision decision = risk.rails.check(request);
        if (!(decision instanceof RiskDecision.Accepted)) {
            throw new IllegalStateException("expected to pass: " + decision);
        }
        risk.ledger.apply(BTC, "bench", BigDecimal.ZERO, Side.BUY, QUANTITY.negate(), -1);
        return decision;
    }
}
