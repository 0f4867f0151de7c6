package dev.tradeplane.e2e;

import java.util.Map;

/** Settings for stacks under fault tests: no rate limit in the way of the load, breakers that recover quickly. */
final class FaultEnv {

    static final Map<String, String> FAST = Map.of(
            "TRADEPLANE_RISK_ORDERS_PER_SECOND", "100000",
            "TRADEPLANE_RISK_ORDER_BURST", "100000",
            "TRADEPLANE_RISK_MAX_POSITION_NOTIONAL", "100000000",
            "TRADEPLANE_RISK_BREAKERS_COOLDOWN", "2s",
            "TRADEPLANE_ENGINE_CLIENT_BREAKER_COOLDOWN", "1s",
            "TRADEPLANE_EVENTS_RELAY_INTERVAL", "200ms");

    private FaultEnv() {}
}
