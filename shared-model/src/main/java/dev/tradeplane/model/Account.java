package dev.tradeplane.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One venue account: balances by asset, equity in US dollars (balances marked at mid), PnL of all models
 * (realized net of fees, unrealized at mid) and fees paid, in the quote currency.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Account(
        String venue,
        Map<String, BigDecimal> balances,
        BigDecimal equityUsd,
        BigDecimal realizedPnl,
        BigDecimal unrealizedPnl,
        BigDecimal fees,
        Instant asOf) {}
