package dev.tradeplane.ops.pnl;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tradeplane.model.Position;
import java.math.BigDecimal;
import java.util.List;

/**
 * PnL by model and venue as OPS knows it from the engines' events: realized (net of fees), unrealized (at the mark
 * the engine last reported), fees, and the positions behind them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PnlSummary(List<Line> lines, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees, List<Position> positions) {

    /** One model at one venue. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Line(String model, String venue, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees) {}
}
