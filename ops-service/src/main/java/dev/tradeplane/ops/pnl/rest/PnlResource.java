package dev.tradeplane.ops.pnl.rest;

import dev.tradeplane.model.Position;
import dev.tradeplane.ops.pnl.PnlRepository;
import dev.tradeplane.ops.pnl.PnlSummary;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /pnl}: PnL by model and venue, from the engines' position events. */
@Path("/pnl")
@Produces(MediaType.APPLICATION_JSON)
public class PnlResource {

    private final PnlRepository pnl;

    public PnlResource(PnlRepository pnl) {
        this.pnl = pnl;
    }

    @GET
    public Uni<PnlSummary> summary() {
        return pnl.positions().map(PnlResource::summarize);
    }

    static PnlSummary summarize(List<Position> positions) {
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
