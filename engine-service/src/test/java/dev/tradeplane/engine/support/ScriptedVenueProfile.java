package dev.tradeplane.engine.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the engine with {@link ScriptedVenue} beside the paper venue, and a higher position limit. */
public class ScriptedVenueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tradeplane.test.scripted-venue", "true", "tradeplane.risk.max-position-notional", "10000000");
    }
}
