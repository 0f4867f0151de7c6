package dev.tradeplane.engine.risk.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.common.security.AdminOnly;
import dev.tradeplane.common.security.Caller;
import dev.tradeplane.engine.order.KillSwitchService;
import dev.tradeplane.engine.risk.RiskLimitsStore;
import dev.tradeplane.engine.risk.RiskMonitor;
import dev.tradeplane.engine.risk.TradingGuard;
import dev.tradeplane.model.KillSwitchRequest;
import dev.tradeplane.model.RiskLimits;
import dev.tradeplane.model.RiskState;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;

/** {@code /risk}: limits, the kill switch, breakers and monitors. Changing anything needs the admin role. */
@Path("/risk")
@Produces(MediaType.APPLICATION_JSON)
public class RiskResource {

    private final RiskLimitsStore limits;
    private final TradingGuard guard;
    private final RiskMonitor monitor;
    private final KillSwitchService killSwitch;
    private final Clock clock;

    public RiskResource(RiskLimitsStore limits, TradingGuard guard, RiskMonitor monitor, KillSwitchService killSwitch, Clock clock) {
        this.limits = limits;
        this.guard = guard;
        this.monitor = monitor;
        this.killSwitch = killSwitch;
        this.clock = clock;
    }

    @GET
    @Path("/limits")
    public RiskLimits getLimits() {
        return limits.current().document();
    }

    @PUT
    @Path("/limits")
    @AdminOnly
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RiskLimits> putLimits(RiskLimits next, @Context ContainerRequestContext request) {
        return limits.replace(next, Caller.idOf(request));
    }

    @GET
    @Path("/state")
    public RiskState state() {
        return new RiskState(guard.killSwitch(), guard.breakers().stream().map(b -> new RiskState.Breaker(b.name(), b.venue(),
                b.state().name(), b.reason(), b.since())).toList(), monitor.monitors(), clock.instant());
    }

    @POST
    @Path("/kill-switch")
    @AdminOnly
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RiskState> trip(KillSwitchRequest body, @Context ContainerRequestContext request) {
        if (body == null) {
            throw Problems.invalid("reason", "say why the kill switch trips");
        }
        return killSwitch.trip(body.reason(), Boolean.TRUE.equals(body.flatten()), Caller.idOf(request)).map(x -> state());
    }

    /** Closes a breaker by hand: the {@code reconciliation} breaker, which nothing else closes, once looked into. */
    @DELETE
    @Path("/breakers/{name}")
    @AdminOnly
    public RiskState closeBreaker(@jakarta.ws.rs.PathParam("name") String name, @jakarta.ws.rs.QueryParam("venue") String venue,
                                  @Context ContainerRequestContext request) {
        if (!guard.close(name, venue, Caller.idOf(request))) {
            throw Problems.notFound("No breaker " + name + (venue == null ? " of the engine" : " of venue " + venue));
        }
        return state();
    }

    @DELETE
    @Path("/kill-switch")
    @AdminOnly
    public Uni<RiskState> reset(@Context ContainerRequestContext request) {
        return killSwitch.reset(Caller.idOf(request)).map(x -> state());
    }
}
