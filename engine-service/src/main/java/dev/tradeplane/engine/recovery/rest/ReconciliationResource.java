package dev.tradeplane.engine.recovery.rest;

import dev.tradeplane.common.security.AdminOnly;
import dev.tradeplane.engine.recovery.ReconciliationService;
import dev.tradeplane.model.ReconciliationReport;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /reconciliation}: the last reconciliation with each venue, and a way to run one now. */
@Path("/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final ReconciliationService reconciliation;

    public ReconciliationResource(ReconciliationService reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GET
    @Path("/last")
    public List<ReconciliationReport> last() {
        return reconciliation.last();
    }

    @POST
    @Path("/run")
    @AdminOnly
    public Uni<List<ReconciliationReport>> run() {
        return reconciliation.run("manual");
    }
}
