package dev.tradeplane.engine.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Runs the engine with {@link ScriptedVenue} beside the paper venue, a higher position limit and an admin token. */
public class ScriptedVenueProfile implements QuarkusTestProfile {

    public static final String ADMIN = "engine-scripted-admin-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tradeplane.test.scripted-venue", "true", "tradeplane.risk.max-position-notional", "10000000",
                "tradeplane.auth.admin-token", ADMIN);
    }
}
