package dev.tradeplane.engine.risk;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's risk settings. The limits here are the global defaults the engine starts with; once limits are
 * changed through {@code PUT /risk/limits} the stored document wins. Notionals are in the quote currency.
 */
@ConfigMapping(prefix = "tradeplane.risk")
public interface RiskConfig {

    /** Largest notional (quantity times price) of a single order. */
    @WithDefault("100000")
    BigDecimal maxOrderNotional();

    /** Largest base quantity of a single order; unset for none. */
    Optional<BigDecimal> maxOrderQuantity();

    /**
     * Largest absolute net position per instrument (all models together), valued at the order's price, counting the
     * order itself and the open orders on its side.
     */
    @WithDefault("250000")
    BigDecimal maxPositionNotional();

    /** The same in base quantity; unset for none. */
    Optional<BigDecimal> maxPositionQuantity();

    /** Largest gross exposure per venue and per model; unset for none. */
    Optional<BigDecimal> maxGrossExposure();

    /** Largest net exposure per venue and per model; unset for none. */
    Optional<BigDecimal> maxNetExposure();

    /** How far through the mid a limit price may be, in basis points. */
    @WithDefault("500")
    BigDecimal priceBandBps();

    /** Largest number of working orders per model and per venue. */
    @WithDefault("1000")
    int maxOpenOrders();

    /** Sustained orders per second per model and per venue. */
    @WithDefault("200")
    BigDecimal ordersPerSecond();

    /** Orders allowed at once per model and per venue (the token bucket's size). */
    @WithDefault("400")
    int orderBurst();

    /** Loss since 00:00 UTC at which orders stop and the kill switch trips; unset for none. */
    Optional<BigDecimal> maxDailyLoss();

    /** Fall from peak equity, in percent, at which the kill switch trips; unset for none. */
    Optional<BigDecimal> maxDrawdownPct();

    /** Instruments orders may trade ({@code BTCUSDT.PAPER}); unset means every instrument of this engine's venues. */
    Optional<List<String>> allowedSymbols();

    /** Instruments orders may not trade. */
    Optional<List<String>> deniedSymbols();

    /** The kill switch. */
    KillSwitchConfig killSwitch();

    /** The circuit breakers. */
    BreakerConfig breakers();

    /** How often monitors and breakers are evaluated. */
    @WithDefault("1s")
    Duration monitorInterval();

    interface KillSwitchConfig {
        /** Whether orders that only reduce a model's position are still accepted while the kill switch is active. */
        @WithDefault("true")
        boolean allowReducing();
    }

    interface BreakerConfig {
        /** Market data older than this opens the venue's market-data breaker; 0 turns the breaker off. */
        @WithDefault("10s")
        Duration staleAfter();

        /** The window venue errors and latencies are judged over. */
        @WithDefault("60s")
        Duration window();

        /** Share of failed venue calls in the window that opens the venue-errors breaker. */
        @WithDefault("0.5")
        BigDecimal errorRate();

        /** Fewest venue calls in the window before the error rate is judged. */
        @WithDefault("5")
        int minCalls();

        /** A venue's 90th percentile answer time in the window above this opens its latency breaker. */
        @WithDefault("2s")
        Duration latency();

        /** Failed database commits in the window that open the database breaker. */
        @WithDefault("3")
        int databaseFailures();

        /** How long an open breaker waits before it lets one probe order through (half-open). */
        @WithDefault("30s")
        Duration cooldown();
    }
}
