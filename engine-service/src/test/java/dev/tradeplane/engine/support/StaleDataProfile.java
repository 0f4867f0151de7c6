package dev.tradeplane.engine.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The scripted venue with a stale-data breaker of one second. */
public class StaleDataProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tradeplane.test.scripted-venue", "true",
                "tradeplane.risk.monitor-interval", "200ms",
                "tradeplane.risk.breakers.stale-after", "1s");
    }
}
