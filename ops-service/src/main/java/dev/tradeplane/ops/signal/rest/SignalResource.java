package dev.tradeplane.ops.signal.rest;

import dev.tradeplane.model.Problem;
import dev.tradeplane.model.Signal;
import dev.tradeplane.ops.signal.SignalAnswer;
import dev.tradeplane.ops.signal.SignalService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /strategy/signal}: a strategy's trade signal in, an order out. */
@Path("/strategy/signal")
public class SignalResource {

    /** Set on an answer that repeats the first answer given to the same signal_id. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final SignalService signals;

    public SignalResource(SignalService signals) {
        this.signals = signals;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(Signal signal) {
        return signals.accept(signal).map(SignalResource::toResponse);
    }

    private static Response toResponse(SignalAnswer answer) {
        Response.ResponseBuilder builder = Response.status(answer.status())
                .type(answer.status() >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON)
                .entity(answer.body());
        if (answer.replayed()) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.build();
    }
}
