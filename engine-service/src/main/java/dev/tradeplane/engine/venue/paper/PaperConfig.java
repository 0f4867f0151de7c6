package dev.tradeplane.engine.venue.paper;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** The paper venue: a simulated exchange with a synthetic market, inside the engine. */
@ConfigMapping(prefix = "tradeplane.paper")
public interface PaperConfig {

    /** Whether this engine runs the paper venue. */
    @WithDefault("true")
    boolean enabled();

    /** The venue's name, the suffix of its instruments ({@code BTCUSDT.PAPER}). */
    @WithDefault("PAPER")
    String name();

    /** Seed of the synthetic market; the same seed gives the same prices. */
    @WithDefault("42")
    long seed();

    /** How often the synthetic market moves and refreshes its book. */
    @WithDefault("250ms")
    Duration tickInterval();

    /** Delay the paper venue adds before it handles each order, cancel or replace, as a network would. */
    @WithDefault("0ms")
    Duration latency();

    /** Fee on fills that took liquidity, in basis points of the notional. */
    @WithDefault("10")
    BigDecimal takerFeeBps();

    /** Fee on fills of resting orders, in basis points of the notional. */
    @WithDefault("2")
    BigDecimal makerFeeBps();

    /** Balances the paper account starts with, by asset. */
    Map<String, BigDecimal> initialBalances();

    /** The instruments, by symbol (without the venue suffix). */
    Map<String, InstrumentSpec> instruments();

    /** Where an instrument's market comes from. */
    enum Source {
        /** The seeded generator. */
        SYNTHETIC,
        /** A recorded file of book updates and trades (see docs/PAPER-VENUE.md for the format). */
        REPLAY
    }

    /** One instrument: its exchange rules and the shape of its market. */
    interface InstrumentSpec {
        String baseAsset();

        String quoteAsset();

        /** Prices are multiples of this. */
        BigDecimal tickSize();

        /** Quantities are multiples of this. */
        BigDecimal lotSize();

        /** Smallest price times quantity accepted. */
        BigDecimal minNotional();

        /** Where the random walk starts. */
        BigDecimal initialPrice();

        /** Standard deviation of one tick's move, in basis points of the price. */
        @WithDefault("2")
        BigDecimal volatilityBps();

        /** Distance between best bid and best ask, in basis points. */
        @WithDefault("1")
        BigDecimal spreadBps();

        /** Price levels per side. */
        @WithDefault("10")
        int levels();

        /** Distance between neighbouring levels, in basis points. */
        @WithDefault("1")
        BigDecimal levelSpacingBps();

        /** Typical quantity at the best level; deeper levels hold more. */
        BigDecimal levelQuantity();

        /** Mean move of the fair price per step, in basis points (a trend); 0 for none. */
        @WithDefault("0")
        BigDecimal driftBps();

        /** Takers trading at the touch per second, on average (a Poisson rate). */
        @WithDefault("2")
        BigDecimal tradeRate();

        /** Mean size of a taker's trade; by default a fifth of {@code level-quantity}. */
        java.util.Optional<BigDecimal> tradeQuantity();

        /** SYNTHETIC (default) or REPLAY. */
        @WithDefault("SYNTHETIC")
        Source source();

        /** For REPLAY: the recording, a file path or a class-path resource ({@code classpath:paper/btcusdt-sample.jsonl}). */
        java.util.Optional<String> replayFile();

        /** For REPLAY: how many recorded seconds pass per real second. */
        @WithDefault("1")
        BigDecimal replaySpeed();

        /** For REPLAY: start again from the beginning at the end of the recording. */
        @WithDefault("true")
        boolean replayLoop();
    }
}
