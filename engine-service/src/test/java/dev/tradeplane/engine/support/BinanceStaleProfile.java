package dev.tradeplane.engine.support;

import java.util.Map;

/**
 * {@link BinanceProfile} with a market-data breaker of two seconds, judged five times a second, and streams pinged
 * every 300 ms and taken for dead after 1.5 s of silence.
 */
public class BinanceStaleProfile extends BinanceProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tradeplane.reconciliation.interval", "1h", "tradeplane.risk.monitor-interval", "200ms",
                "tradeplane.risk.breakers.stale-after", "2s", "tradeplane.binance.heartbeat", "300ms",
                "tradeplane.binance.idle-timeout", "1500ms");
    }
}
