package dev.tradeplane.engine.support;

import java.util.HashMap;
import java.util.Map;

/** {@link ScriptedVenueProfile} with the venue-errors breaker out of the way, for tests that make the venue fail on purpose. */
public class ScriptedVenueNoBreakerProfile extends ScriptedVenueProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("tradeplane.risk.breakers.min-calls", "1000000");
        return config;
    }
}
