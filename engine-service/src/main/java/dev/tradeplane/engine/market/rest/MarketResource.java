package dev.tradeplane.engine.market.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.market.MarketService;
import dev.tradeplane.engine.web.QueryParams;
import dev.tradeplane.model.MarketSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /market/{symbol}}: the touch, spread, best levels (own resting orders included) and imbalance. */
@Path("/market")
@Produces(MediaType.APPLICATION_JSON)
public class MarketResource {

    private static final int MAX_LEVELS = 50;

    private final MarketService market;

    public MarketResource(MarketService market) {
        this.market = market;
    }

    @GET
    @Path("/{symbol}")
    public Uni<MarketSnapshot> get(@PathParam("symbol") String symbol, @QueryParam("levels") Integer levels) {
        int n = levels == null ? 10 : levels;
        if (n < 1 || n > MAX_LEVELS) {
            throw Problems.invalid("levels", "must be between 1 and " + MAX_LEVELS);
        }
        return market.snapshot(QueryParams.instrument("symbol", symbol), n);
    }
}
