package dev.tradeplane.engine.support;

import dev.tradeplane.fakebinance.FakeBinance;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Starts a {@link FakeBinance} on a free loopback port before the engine, with a book for BTCUSDT around 65000, and
 * points the engine's Binance adapter at it.
 */
public class FakeBinanceResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeBinance fake;

    /** The running fake, for the tests to script. */
    public static FakeBinance fake() {
        return fake;
    }

    /** The tests' BTCUSDT book: 0.5 a level, bids 64995 to 64999, asks 65001 to 65005. */
    public static void standardBook(FakeBinance fake) {
        for (int i = 0; i < 5; i++) {
            fake.setLevel("BTCUSDT", true, new BigDecimal("64999.00").subtract(BigDecimal.valueOf(i)), new BigDecimal("0.5"));
            fake.setLevel("BTCUSDT", false, new BigDecimal("65001.00").add(BigDecimal.valueOf(i)), new BigDecimal("0.5"));
        }
    }

    @Override
    public Map<String, String> start() {
        fake = FakeBinance.start();
        standardBook(fake);
        return Map.ofEntries(
                Map.entry("tradeplane.binance.enabled", "true"),
                Map.entry("tradeplane.binance.base-url", fake.httpUrl()),
                Map.entry("tradeplane.binance.ws-url", fake.wsUrl()),
                Map.entry("tradeplane.binance.ws-api-url", fake.wsApiUrl()),
                Map.entry("tradeplane.binance.api-key", FakeBinance.API_KEY),
                Map.entry("tradeplane.binance.api-secret", FakeBinance.SECRET),
                Map.entry("tradeplane.binance.symbols", "BTCUSDT"),
                Map.entry("tradeplane.binance.depth-limit", "100"),
                Map.entry("tradeplane.binance.poll-interval", "300ms"),
                // Tests count the engine's trade reads: no background poll while the stream is up (one test runs its own).
                Map.entry("tradeplane.binance.poll-while-connected", "1h"),
                Map.entry("tradeplane.binance.reconnect-min", "100ms"),
                Map.entry("tradeplane.binance.reconnect-max", "1s"),
                Map.entry("tradeplane.binance.request-timeout", "5s"));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
            fake = null;
        }
    }
}
