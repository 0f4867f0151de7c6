package dev.tradeplane.local;

import java.util.ArrayList;
import java.util.List;

/** The text {@code Launcher up} prints once everything is ready. The only output that shows the OPS token. */
final class Banner {

    private static final String RULE = "=".repeat(78);

    private Banner() {
    }

    /**
     * @param postgres where the data lives, e.g. "embedded at 127.0.0.1:15432, database tradeplane, data in ..."
     * @param redis    the same for Redis
     */
    static String render(LaunchSettings settings, String postgres, String redis) {
        String ops = settings.baseUrl(settings.opsPort());
        String engine = settings.baseUrl(settings.enginePort());
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(RULE);
        lines.add(" Tradeplane is running.");
        lines.add("");
        lines.add("   OPS            " + ops);
        lines.add("   Engine (paper) " + engine);
        lines.add("   Event stream   " + ops + "/events");
        lines.add("   Metrics        " + ops + "/q/metrics");
        lines.add("                  " + engine + "/q/metrics");
        lines.add("   PostgreSQL     " + postgres);
        lines.add("   Redis          " + redis);
        if (settings.engineToken() != null) {
            lines.add("   ENGINE_TOKEN   set, passed to both services");
        }
        lines.add("");
        lines.add(settings.opsTokenGenerated()
                ? " OPS token: generated for this run (set OPS_TOKEN to keep one across runs). Try:"
                : " OPS token: from OPS_TOKEN. Try:");
        lines.add("");
        lines.add("   TOKEN=" + shellQuote(settings.opsToken()));
        lines.add("   curl -s -X POST " + ops + "/strategy/signal -H \"X-OPS-TOKEN: $TOKEN\""
                + " -H 'Content-Type: application/json'"
                + " -d '{\"signal_id\":\"demo-1\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"0.01\"}'");
        lines.add("");
        lines.add(" Stop with Ctrl-C.");
        lines.add(RULE);
        return String.join(System.lineSeparator(), lines);
    }

    /**
     * URLs (one, or several separated by commas) for display: without {@code user:password@} and without query
     * strings, where drivers also accept passwords.
     */
    static String forDisplay(String urls) {
        List<String> shown = new ArrayList<>();
        for (String url : urls.split(",")) {
            String trimmed = url.trim();
            int query = trimmed.indexOf('?');
            if (query >= 0) {
                trimmed = trimmed.substring(0, query);
            }
            int scheme = trimmed.indexOf("://");
            int start = scheme < 0 ? 0 : scheme + 3;
            int slash = trimmed.indexOf('/', start);
            int at = trimmed.lastIndexOf('@', slash < 0 ? trimmed.length() - 1 : slash);
            shown.add(at >= start ? trimmed.substring(0, start) + trimmed.substring(at + 1) : trimmed);
        }
        return String.join(",", shown);
    }

    /** {@code value} in single quotes, safe to paste into a POSIX shell. */
    static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
