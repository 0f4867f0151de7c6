package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** {@code GET /risk/state}: the kill switch, the circuit breakers and the monitors, as the engine sees them now. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RiskState(KillSwitch killSwitch, List<Breaker> breakers, List<Monitor> monitors, Instant asOf) {

    /** Whether new orders are blocked, since when and why. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record KillSwitch(boolean active, String reason, boolean flatten, String trippedBy, Instant trippedAt,
                             boolean allowsReducing) {}

    /** A circuit breaker: CLOSED (orders flow), OPEN (refused), HALF_OPEN (one probe order at a time). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Breaker(String name, String venue, String state, String reason, Instant since) {}

    /** A monitored scope ({@code venue:PAPER}, {@code model:m1}): its equity, peak, drawdown and PnL today. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Monitor(String scope, BigDecimal equity, BigDecimal peakEquity, BigDecimal drawdownPct, BigDecimal dailyPnl,
                          BigDecimal maxDailyLoss, BigDecimal maxDrawdownPct) {}
}
