package dev.tradeplane.ops.audit.rest;

import dev.tradeplane.model.AuditEntry;
import dev.tradeplane.ops.audit.AuditRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /audit}: the audit trail, newest first; page with {@code before} (a {@code seq}). */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditRepository audit;

    public AuditResource(AuditRepository audit) {
        this.audit = audit;
    }

    @GET
    public Uni<List<AuditEntry>> list(@QueryParam("before") String before, @QueryParam("actor") String actor,
                                      @QueryParam("subject") String subject, @QueryParam("limit") String limit) {
        int n = dev.tradeplane.common.web.WholeParams.of("limit", limit, 100, 1, 1000);
        return audit.list(dev.tradeplane.common.web.WholeParams.ofLong("before", before), actor, subject, n);
    }
}
