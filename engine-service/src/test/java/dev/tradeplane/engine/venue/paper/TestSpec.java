package dev.tradeplane.engine.venue.paper;

import java.math.BigDecimal;
import java.util.Optional;

/** An instrument spec for tests: BTCUSDT-like steps and a market shaped by the arguments. */
record TestSpec(BigDecimal initialPrice, BigDecimal volatilityBps, BigDecimal levelQuantity, BigDecimal tradeRate)
        implements PaperConfig.InstrumentSpec {

    /** A market that does not move and has no takers unless asked. */
    static TestSpec still() {
        return new TestSpec(new BigDecimal("65000"), BigDecimal.ZERO, new BigDecimal("0.5"), BigDecimal.ZERO);
    }

    static TestSpec moving(String volatilityBps, String tradeRate) {
        return new TestSpec(new BigDecimal("65000"), new BigDecimal(volatilityBps), new BigDecimal("0.5"), new BigDecimal(tradeRate));
    }

    @Override
    public String baseAsset() {
        return "BTC";
    }

    @Override
    public String quoteAsset() {
        return "USDT";
    }

    @Override
    public BigDecimal tickSize() {
        return new BigDecimal("0.01");
    }

    @Override
    public BigDecimal lotSize() {
        return new BigDecimal("0.00001");
    }

    @Override
    public BigDecimal minNotional() {
        return new BigDecimal("5");
    }

    @Override
    public BigDecimal spreadBps() {
        return BigDecimal.ONE;
    }

    @Override
    public int levels() {
        return 10;
    }

    @Override
    public BigDecimal levelSpacingBps() {
        return BigDecimal.ONE;
    }

    @Override
    public BigDecimal driftBps() {
        return BigDecimal.ZERO;
    }

    @Override
    public Optional<BigDecimal> tradeQuantity() {
        return Optional.of(new BigDecimal("0.05"));
    }

    @Override
    public PaperConfig.Source source() {
        return PaperConfig.Source.SYNTHETIC;
    }

    @Override
    public Optional<String> replayFile() {
        return Optional.empty();
    }

    @Override
    public BigDecimal replaySpeed() {
        return BigDecimal.ONE;
    }

    @Override
    public boolean replayLoop() {
        return true;
    }
}
