package dev.tradeplane.engine.market.rest;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.engine.market.MarketService;
import dev.tradeplane.engine.web.QueryParams;
import dev.tradeplane.model.MarketSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /market/{symbol}?levels=10&depth_bps=10}: the touch, spread, best levels (own resting orders included),
 * imbalance, depth within {@code depth_bps} of the mid, last trade and the age of the touch.
 */
@Path("/market")
@Produces(MediaType.APPLICATION_JSON)
public class MarketResource {

    private static final int MAX_LEVELS = 50;
    private static final java.math.BigDecimal MAX_DEPTH_BPS = java.math.BigDecimal.valueOf(1000);
    private static final int MAX_DEPTH_BPS_DECIMALS = 4;

    private final MarketService market;
    private final dev.tradeplane.engine.market.Klines klines;
    private final dev.tradeplane.engine.venue.Venues venues;

    public MarketResource(MarketService market, dev.tradeplane.engine.market.Klines klines, dev.tradeplane.engine.venue.Venues venues) {
        this.market = market;
        this.klines = klines;
        this.venues = venues;
    }

    /** {@code GET /market/{symbol}/klines?limit=60}: one-minute klines from the venue's trades, oldest first. */
    @GET
    @Path("/{symbol}/klines")
    public java.util.List<dev.tradeplane.model.Kline> klines(@PathParam("symbol") String symbol, @QueryParam("limit") String limit) {
        int n = dev.tradeplane.common.web.WholeParams.of("limit", limit, 60, 1, 240);
        dev.tradeplane.model.InstrumentId id = instrument(symbol);
        if (venues.instrument(id).isEmpty()) {
            throw Problems.notFound("No instrument " + id + "; see GET /instruments");
        }
        return klines.last(id, n);
    }

    @GET
    @Path("/{symbol}")
    public Uni<MarketSnapshot> get(@PathParam("symbol") String symbol, @QueryParam("levels") String levels,
                                   @QueryParam("depth_bps") String depthBps) {
        int n = dev.tradeplane.common.web.WholeParams.of("levels", levels, 10, 1, MAX_LEVELS);
        java.math.BigDecimal band;
        try {
            band = depthBps == null ? java.math.BigDecimal.TEN : new java.math.BigDecimal(depthBps.trim());
        } catch (NumberFormatException e) {
            throw Problems.invalid("depth_bps", "a number of basis points, e.g. 10");
        }
        if (band.signum() <= 0 || band.compareTo(MAX_DEPTH_BPS) > 0) {
            throw Problems.invalid("depth_bps", "must be above 0 and at most " + MAX_DEPTH_BPS);
        }
        if (band.stripTrailingZeros().scale() > MAX_DEPTH_BPS_DECIMALS) {
            throw Problems.invalid("depth_bps", "at most " + MAX_DEPTH_BPS_DECIMALS + " decimals");
        }
        return market.snapshot(instrument(symbol), n, band);
    }

    /** The path's instrument: a blank one is a bad request, like a malformed one. */
    private static dev.tradeplane.model.InstrumentId instrument(String symbol) {
        dev.tradeplane.model.InstrumentId id = QueryParams.instrument("symbol", symbol);
        if (id == null) {
            throw Problems.invalid("symbol", "must look like BTCUSDT.PAPER");
        }
        return id;
    }
}
