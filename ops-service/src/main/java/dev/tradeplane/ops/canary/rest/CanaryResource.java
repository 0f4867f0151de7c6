package dev.tradeplane.ops.canary.rest;

import dev.tradeplane.common.security.Allowed;
import dev.tradeplane.common.security.Role;
import dev.tradeplane.model.CanaryDecision;
import dev.tradeplane.ops.canary.CanaryManager;
import dev.tradeplane.ops.canary.CanaryRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /canary}: the canary manager's decisions, newest first, and a way to judge the models now. */
@Path("/canary")
@Produces(MediaType.APPLICATION_JSON)
public class CanaryResource {

    private final CanaryManager manager;
    private final CanaryRepository decisions;

    public CanaryResource(CanaryManager manager, CanaryRepository decisions) {
        this.manager = manager;
        this.decisions = decisions;
    }

    @GET
    @Path("/decisions")
    public Uni<List<CanaryDecision>> decisions(@QueryParam("model") String model, @QueryParam("limit") String limit) {
        int n = dev.tradeplane.common.web.WholeParams.of("limit", limit, 100, 1, 1000);
        return decisions.list(model, n);
    }

    @POST
    @Path("/run")
    @Allowed(Role.OPS)
    public Uni<List<CanaryDecision>> run() {
        return manager.run();
    }
}
