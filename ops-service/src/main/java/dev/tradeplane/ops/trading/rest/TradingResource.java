package dev.tradeplane.ops.trading.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.common.security.Allowed;
import dev.tradeplane.common.security.Caller;
import dev.tradeplane.common.security.Role;
import dev.tradeplane.model.TradingPause;
import dev.tradeplane.model.TradingPauseRequest;
import dev.tradeplane.ops.engine.EngineClient;
import dev.tradeplane.ops.trading.TradingPauses;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code /trading}: pausing and resuming trading at the control plane, globally or per venue. Each answer is the
 * list of pauses in force after the call; pausing what is paused or resuming what is not changes nothing.
 */
@Path("/trading")
@Produces(MediaType.APPLICATION_JSON)
public class TradingResource {

    private final TradingPauses pauses;
    private final EngineClient engines;

    public TradingResource(TradingPauses pauses, EngineClient engines) {
        this.pauses = pauses;
        this.engines = engines;
    }

    @GET
    @Path("/pauses")
    public Uni<List<TradingPause>> list() {
        return pauses.all();
    }

    @POST
    @Path("/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPS)
    public Uni<List<TradingPause>> pause(TradingPauseRequest request, @Context ContainerRequestContext context) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw Problems.invalid("reason", "say why trading is paused; it is shown to everyone whose signal is refused");
        }
        return pauses.pause(venue(request), request.reason().strip(), Caller.idOf(context), null, null).flatMap(x -> pauses.all());
    }

    @POST
    @Path("/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.OPS)
    public Uni<List<TradingPause>> resume(TradingPauseRequest request, @Context ContainerRequestContext context) {
        return pauses.resume(request == null ? null : venue(request), request == null ? null : request.reason(), Caller.idOf(context), null, null)
                .flatMap(x -> pauses.all());
    }

    private String venue(TradingPauseRequest request) {
        String venue = request.venue();
        if (venue == null) {
            return null;
        }
        if (!engines.knows(venue)) {
            throw Problems.invalid("venue", "unknown venue " + venue + "; configured: " + String.join(", ", engines.venues()));
        }
        return venue;
    }
}
