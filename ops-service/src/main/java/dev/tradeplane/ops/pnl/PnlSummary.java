package dev.tradeplane.ops.pnl;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tradeplane.model.Position;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PnL by model and venue as OPS knows it from the engines' events: realized (net of fees), unrealized (at the mark
 * the engine last reported), fees, and the positions behind them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PnlSummary(List<Line> lines, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees, List<Position> positions) {

    /** One model at one venue. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Line(String model, String venue, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal fees) {}

    /** PnL per model and venue, and in all, from the positions behind it. */
    public static PnlSummary of(List<Position> positions) {
        Map<String, BigDecimal[]> byLine = new LinkedHashMap<>();
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Position p : positions) {
            BigDecimal u = p.unrealizedPnl() == null ? BigDecimal.ZERO : p.unrealizedPnl();
            BigDecimal[] line = byLine.computeIfAbsent(p.model() + "|" + p.venue(),
                    k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            line[0] = line[0].add(p.realizedPnl());
            line[1] = line[1].add(u);
            line[2] = line[2].add(p.fees());
            realized = realized.add(p.realizedPnl());
            unrealized = unrealized.add(u);
            fees = fees.add(p.fees());
        }
        List<PnlSummary.Line> lines = new ArrayList<>();
        byLine.forEach((key, v) -> {
            String[] parts = key.split("\\|", 2);
            lines.add(new PnlSummary.Line(parts[0], parts[1], v[0].stripTrailingZeros(), v[1].stripTrailingZeros(), v[2].stripTrailingZeros()));
        });
        return new PnlSummary(lines, realized.stripTrailingZeros(), unrealized.stripTrailingZeros(), fees.stripTrailingZeros(), positions);
    }
}
