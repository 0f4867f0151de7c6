package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BannerTest {

    @Test
    void showsTheTokenOnExactlyOneLine() {
        LaunchSettings settings = LaunchSettings.from(Map.of(), Path.of("/repo"), Path.of("/home/dev"));
        String banner = Banner.render(settings, "embedded", "embedded");
        long linesWithToken = banner.lines().filter(line -> line.contains(settings.opsToken())).count();
        assertEquals(1, linesWithToken);
        assertTrue(banner.contains("http://127.0.0.1:8080/events"));
        assertTrue(banner.contains("http://127.0.0.1:8081/q/metrics"));
        assertTrue(banner.contains("curl -s -X POST http://127.0.0.1:8080/strategy/signal -H \"X-OPS-TOKEN: $TOKEN\""
                + " -H 'Content-Type: application/json' -d '{\"signal_id\":\"demo-1\",\"symbol\":\"BTCUSDT.PAPER\","
                + "\"side\":\"BUY\",\"quantity\":\"0.01\"}'"));
        assertTrue(banner.contains("generated for this run"));
    }

    @Test
    void hidesCredentialsInUrls() {
        assertEquals("postgresql://db:5432/tp", Banner.forDisplay("postgresql://u:pw@db:5432/tp?password=pw"));
        assertEquals("redis://a:6379,redis://b:6379", Banner.forDisplay("redis://:pw@a:6379, redis://b:6379"));
        assertEquals("redis://cache:6379", Banner.forDisplay("redis://cache:6379"));
    }

    @Test
    void quotesForTheShell() {
        assertEquals("'it'\\''s'", Banner.shellQuote("it's"));
    }
}
