package dev.tradeplane.engine.position.rest;

import dev.tradeplane.engine.account.Valuation;
import dev.tradeplane.engine.position.PositionRepository;
import dev.tradeplane.engine.web.QueryParams;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Position;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;

/** {@code GET /positions}: committed positions by instrument and model, marked at the current mid. */
@Path("/positions")
@Produces(MediaType.APPLICATION_JSON)
public class PositionResource {

    private final PositionRepository positions;
    private final Valuation valuation;

    public PositionResource(PositionRepository positions, Valuation valuation) {
        this.positions = positions;
        this.valuation = valuation;
    }

    @GET
    public Uni<List<Position>> list(@QueryParam("symbol") String symbol, @QueryParam("model") String model) {
        InstrumentId filter = QueryParams.instrument("symbol", symbol);
        return positions.all().map(all -> all.stream()
                .filter(p -> filter == null || p.instrument().equals(filter))
                .filter(p -> model == null || p.model().equals(model))
                .map(p -> {
                    BigDecimal mark = valuation.mark(p.instrument()).orElse(null);
                    return new Position(p.instrument().toString(), p.instrument().venue(), p.model(), p.state().quantity(),
                            p.state().averagePrice(), p.state().realizedPnl(), p.state().fees(), mark, p.state().unrealizedAt(mark),
                            p.updatedAt());
                })
                .toList());
    }
}
