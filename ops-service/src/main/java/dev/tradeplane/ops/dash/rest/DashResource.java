package dev.tradeplane.ops.dash.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.Dashboard;
import dev.tradeplane.ops.dash.DashboardService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The PnL dashboard's data: {@code GET /dash/pnl} (what the page at {@code /dash/} shows, as JSON) and
 * {@code GET /dash/pnl.csv?date=YYYY-MM-DD} (one UTC day; today when no date is given).
 */
@Path("/dash")
public class DashResource {

    private final DashboardService dashboard;
    private final Clock clock;

    public DashResource(DashboardService dashboard, Clock clock) {
        this.dashboard = dashboard;
        this.clock = clock;
    }

    @GET
    @Path("/pnl")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Dashboard> pnl() {
        return dashboard.dashboard();
    }

    @GET
    @Path("/pnl.csv")
    @Produces("text/csv")
    public Uni<Response> csv(@QueryParam("date") String date) {
        LocalDate day;
        try {
            day = date == null || date.isBlank() ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw Problems.invalid("date", "a UTC day as YYYY-MM-DD, e.g. 2026-11-22");
        }
        if (day.isAfter(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC))) {
            throw Problems.invalid("date", "is in the future");
        }
        LocalDate d = day;
        return dashboard.csv(d).map(csv -> Response.ok(csv, "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"pnl-" + d + ".csv\"").build());
    }
}
