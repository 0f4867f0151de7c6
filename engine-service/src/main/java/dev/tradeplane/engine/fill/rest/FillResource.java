package dev.tradeplane.engine.fill.rest;

import dev.tradeplane.engine.fill.FillRepository;
import dev.tradeplane.engine.web.QueryParams;
import dev.tradeplane.model.Fill;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /fills}: executions, newest first. */
@Path("/fills")
@Produces(MediaType.APPLICATION_JSON)
public class FillResource {

    private final FillRepository fills;

    public FillResource(FillRepository fills) {
        this.fills = fills;
    }

    @GET
    public Uni<List<Fill>> list(@QueryParam("order_id") String orderId, @QueryParam("symbol") String symbol,
                                @QueryParam("model") String model, @QueryParam("since") String since,
                                @QueryParam("limit") String limit) {
        return fills.list(QueryParams.uuid("order_id", orderId), QueryParams.instrument("symbol", symbol), model,
                QueryParams.instant("since", since), QueryParams.limit(limit));
    }
}
