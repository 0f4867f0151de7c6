package dev.tradeplane.engine.venue.paper;

import java.math.BigDecimal;
import java.util.Optional;

/** Builds paper instruments for benchmarks: BTCUSDT's rules and a market that does not move unless stepped. */
public final class BenchInstruments {

    private BenchInstruments() {}

    public static PaperConfig.InstrumentSpec btc() {
        return new PaperConfig.InstrumentSpec() {
            public String baseAsset() { return "BTC"; }
            public String quoteAsset() { return "USDT"; }
            public BigDecimal tickSize() { return new BigDecimal("0.01"); }
            public BigDecimal lotSize() { return new BigDecimal("0.00001"); }
            public BigDecimal minNotional() { return new BigDecimal("5"); }
            public BigDecimal initialPrice() { return new BigDecimal("65000"); }
            public BigDecimal volatilityBps() { return BigDecimal.ZERO; }
            public BigDecimal spreadBps() { return BigDecimal.ONE; }
            public int levels() { return 10; }
            public BigDecimal levelSpacingBps() { return BigDecimal.ONE; }
            public BigDecimal levelQuantity() { return new BigDecimal("0.5"); }
            public BigDecimal driftBps() { return BigDecimal.ZERO; }
            public BigDecimal tradeRate() { return BigDecimal.ZERO; }
            public Optional<BigDecimal> tradeQuantity() { return Optional.empty(); }
            public PaperConfig.Source source() { return PaperConfig.Source.SYNTHETIC; }
            public Optional<String> replayFile() { return Optional.empty(); }
            public BigDecimal replaySpeed() { return BigDecimal.ONE; }
            public boolean replayLoop() { return true; }
        };
    }

    public static PaperInstrument paperBtc() {
        PaperConfig.InstrumentSpec spec = btc();
        return new PaperInstrument("BTCUSDT", "bench", spec, new SyntheticSource(spec, 42, 0.25), BigDecimal.TEN, BigDecimal.TWO);
    }
}
