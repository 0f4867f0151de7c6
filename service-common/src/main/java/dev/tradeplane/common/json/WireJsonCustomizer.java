package dev.tradeplane.common.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.model.WireJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Gives Quarkus' ObjectMapper the wire conventions of {@link WireJson}. */
@Singleton
public class WireJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        WireJson.configure(mapper);
    }

    @Override
    public int priority() {
        // Run after Quarkus' own config-driven customizer so the wire rules win.
        return MINIMUM_PRIORITY;
    }
}
