package dev.tradeplane.engine.instrument.rest;

import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.Instrument;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /instruments}: what this engine trades, with each venue's rules. */
@Path("/instruments")
@Produces(MediaType.APPLICATION_JSON)
public class InstrumentResource {

    private final Venues venues;

    public InstrumentResource(Venues venues) {
        this.venues = venues;
    }

    @GET
    public List<Instrument> list() {
        return venues.instruments();
    }
}
