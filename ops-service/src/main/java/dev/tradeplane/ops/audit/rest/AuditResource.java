package dev.tradeplane.ops.audit.rest;

import dev.tradeplane.common.problem.Problems;
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
    public Uni<List<AuditEntry>> list(@QueryParam("before") Long before, @QueryParam("actor") String actor,
                                      @QueryParam("subject") String subject, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw Problems.invalid("limit", "must be between 1 and 1000");
        }
        return audit.list(before, actor, subject, n);
    }
}
