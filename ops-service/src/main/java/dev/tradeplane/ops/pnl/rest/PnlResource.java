package dev.tradeplane.ops.pnl.rest;

import dev.tradeplane.ops.pnl.PnlRepository;
import dev.tradeplane.ops.pnl.PnlSummary;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
        return pnl.positions().map(PnlSummary::of);
    }
}
