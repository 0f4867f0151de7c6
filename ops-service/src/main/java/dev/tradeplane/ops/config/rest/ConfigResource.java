package dev.tradeplane.ops.config.rest;

import dev.tradeplane.ops.config.EffectiveConfig;
import dev.tradeplane.ops.config.EffectiveSetting;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /config/effective}: every control-plane setting in force, its value and the layer it came from. */
@Path("/config/effective")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    private final EffectiveConfig config;

    public ConfigResource(EffectiveConfig config) {
        this.config = config;
    }

    @GET
    public Uni<List<EffectiveSetting>> effective() {
        return config.all();
    }
}
