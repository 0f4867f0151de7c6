package dev.tradeplane.engine.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Runs the engine with its Binance adapter against {@link FakeBinanceResource}, beside the paper venue. */
public class BinanceProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tradeplane.reconciliation.interval", "1h");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeBinanceResource.class));
    }
}
