package dev.tradeplane.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /dash/pnl}: what the PnL dashboard shows. Money is in the instruments' quote currency (USDT on the paper
 * venues) except {@code equity}, in USD. {@code equity_curve} is the accounts' equity at each allocation round;
 * {@code open_orders} the working orders of every engine reachable now ({@code engines_unreachable} lists the others).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Dashboard(
        Instant asOf,
        BigDecimal equity,
        BigDecimal realizedPnl,
        BigDecimal unrealizedPnl,
        BigDecimal fees,
        List<ModelLine> models,
        List<VenueLine> venues,
        List<Point> equityCurve,
        List<Position> positions,
        List<Order> openOrders,
        List<String> enginesUnreachable) {

    /**
     * One model: its status and weight, its allocation (share, budget, exposure), its PnL summed over venues, and its
     * live statistics since it entered its status ({@code sharpe}, {@code max_drawdown_pct}, {@code win_rate}: null
     * until there are enough data, and for models that are neither canary nor active).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelLine(String model, String status, BigDecimal weight, BigDecimal share, BigDecimal budget, BigDecimal exposure,
                            BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees, Integer trades, BigDecimal sharpe,
                            BigDecimal maxDrawdownPct, BigDecimal winRate) {}

    /** One venue: PnL summed over models. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VenueLine(String venue, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees) {}

    /** One point of the equity curve. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Point(Instant at, BigDecimal equity) {}
}
