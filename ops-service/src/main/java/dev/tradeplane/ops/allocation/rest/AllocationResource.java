package dev.tradeplane.ops.allocation.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.common.security.Allowed;
import dev.tradeplane.common.security.Role;
import dev.tradeplane.model.Allocations;
import dev.tradeplane.ops.allocation.AllocationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /allocations}: the capital budgets in force and their inputs; {@code POST /allocations/run} recomputes them now. */
@Path("/allocations")
@Produces(MediaType.APPLICATION_JSON)
public class AllocationResource {

    private final AllocationService allocations;

    public AllocationResource(AllocationService allocations) {
        this.allocations = allocations;
    }

    @GET
    public Uni<Allocations> current() {
        return allocations.view().map(a -> {
            if (a == null) {
                throw Problems.notFound("No allocation yet: the allocator " + (allocations.enabled()
                        ? "makes its first within tradeplane.allocator.interval of the start (or POST /allocations/run)" : "is off"));
            }
            return a;
        });
    }

    @POST
    @Path("/run")
    @Allowed(Role.OPS)
    public Uni<Allocations> run() {
        if (!allocations.enabled()) {
            throw Problems.conflict("The allocator is off (tradeplane.allocator.enabled=false).");
        }
        return allocations.run().map(a -> a.orElseThrow(() -> Problems.unavailable(dev.tradeplane.model.ProblemTypes.ENGINE_UNAVAILABLE,
                "No equity", "No engine answered for its equity and none is known yet; nothing was allocated.", 5)));
    }
}
