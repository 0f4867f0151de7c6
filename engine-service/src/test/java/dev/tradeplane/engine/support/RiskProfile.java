package dev.tradeplane.engine.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The scripted venue, an admin token apart from the API token, and breakers that react within a test's time. The
 * cooldown is long enough that the order after a breaker is seen open is refused, not taken as the half-open probe.
 * The engine's clock reads midday UTC ({@link MiddayClock}), so daily PnL never starts afresh during the tests.
 */
public class RiskProfile implements QuarkusTestProfile {

    public static final String ADMIN = "engine-admin-token-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tradeplane.test.scripted-venue", "true",
                "tradeplane.auth.admin-token", ADMIN,
                "tradeplane.risk.max-position-notional", "10000000",
                "tradeplane.risk.monitor-interval", "200ms",
                "tradeplane.risk.breakers.min-calls", "3",
                "tradeplane.risk.breakers.cooldown", "5s",
                "tradeplane.risk.breakers.window", "3s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(MiddayClock.class);
    }
}
