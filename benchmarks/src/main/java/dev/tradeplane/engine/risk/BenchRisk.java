package dev.tradeplane.engine.risk;

import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.LimitSet;
import dev.tradeplane.model.RiskLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Risk rails for benchmarks, wired by hand (no database): every check on, with limits an order stays within. */
public final class BenchRisk {

    public final ExposureLedger ledger = new ExposureLedger();
    public final RiskRails rails;
    public final RiskMonitor monitor;

    public BenchRisk() {
        Clock clock = Clock.systemUTC();
        RiskConfig config = config();
        RiskLimitsStore store = new RiskLimitsStore(null, null, null, null, clock, null, config);
        LimitSet global = new LimitSet(new BigDecimal("10"), new BigDecimal("1000000"), new BigDecimal("1000"), new BigDecimal("100000000"),
                new BigDecimal("1000000000"), new BigDecimal("1000000000"), new BigDecimal("500"), 1_000_000, new BigDecimal("100000000"),
                100_000_000, new BigDecimal("1000000"), new BigDecimal("50"), null, List.of("DOGEUSDT.PAPER"));
        LimitSet model = new LimitSet(null, new BigDecimal("500000"), null, null, null, null, null, null, null, null,
                new BigDecimal("100000"), null, null, null);
        store.use(new RiskLimits(global, Map.of("PAPER", LimitSet.NONE), Map.of("bench", model),
                Map.of("BTCUSDT.PAPER", new LimitSet(new BigDecimal("5"), null, null, null, null, null, null, null, null, null, null, null,
                        null, null)), 1L, null));
        TradingGuard guard = new TradingGuard(null, null, null, null, clock, config, new SimpleMeterRegistry(), new VenueHealth(clock));
        monitor = new RiskMonitor(null, null, null, null, store, guard, null, null, config, null, clock, new SimpleMeterRegistry());
        Valuation marks = new Valuation(null) {
            @Override
            public Optional<BigDecimal> mark(InstrumentId id) {
                return Optional.of(new BigDecimal("64000.5"));
            }
        };
        rails = new RiskRails(store, guard, ledger, new RateLimiter(clock), monitor, marks);
    }

    /** A scope's daily PnL as the monitor would have seen it. */
    public void seeDailyPnl(String scope, BigDecimal start, BigDecimal now) {
        monitor.observe(scope, start, null, null, null, java.time.Instant.now());
        monitor.observe(scope, now, null, null, null, java.time.Instant.now());
    }

    private static RiskConfig config() {
        return new RiskConfig() {
            public BigDecimal maxOrderNotional() { return null; }
            public Optional<BigDecimal> maxOrderQuantity() { return Optional.empty(); }
            public BigDecimal maxPositionNotional() { return null; }
            public Optional<BigDecimal> maxPositionQuantity() { return Optional.empty(); }
            public Optional<BigDecimal> maxGrossExposure() { return Optional.empty(); }
            public Optional<BigDecimal> maxNetExposure() { return Optional.empty(); }
            public BigDecimal priceBandBps() { return null; }
            public int maxOpenOrders() { return 0; }
            public BigDecimal ordersPerSecond() { return null; }
            public int orderBurst() { return 1; }
            public Optional<BigDecimal> maxDailyLoss() { return Optional.empty(); }
            public Optional<BigDecimal> maxDrawdownPct() { return Optional.empty(); }
            public Optional<List<String>> allowedSymbols() { return Optional.empty(); }
            public Optional<List<String>> deniedSymbols() { return Optional.empty(); }
            public KillSwitchConfig killSwitch() { return () -> true; }
            public BreakerConfig breakers() { return null; }
            public Duration monitorInterval() { return Duration.ofSeconds(1); }
        };
    }
}
