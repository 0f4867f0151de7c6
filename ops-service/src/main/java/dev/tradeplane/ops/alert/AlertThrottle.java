package dev.tradeplane.ops.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deduplication of alerts: the first alert of a key is sent; the same key again within the window is only counted;
 * when the window ends, one summary says how many more there were (with the latest text). Pure: the caller gives the
 * time.
 */
final class AlertThrottle {

    private record Seen(Instant firstAt, int more, String latest) {}

    private final Duration window;
    private final Map<String, Seen> seen = new LinkedHashMap<>();

    AlertThrottle(Duration window) {
        this.window = window;
    }

    /** True when this alert is to be sent now; false when it repeats one sent within the window (it is counted). */
    synchronized boolean offer(String key, String text, Instant now) {
        Seen s = seen.get(key);
        if (s != null && now.isBefore(s.firstAt().plus(window))) {
            seen.put(key, new Seen(s.firstAt(), s.more() + 1, text));
            return false;
        }
        seen.put(key, new Seen(now, 0, text));
        return true;
    }

    /** The summaries of the windows that ended by {@code now} with repeats in them; those windows are forgotten. */
    synchronized List<String> expire(Instant now) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Seen s = it.next().getValue();
            if (!now.isBefore(s.firstAt().plus(window))) {
                if (s.more() > 0) {
                    out.add(s.latest() + "\n(repeated " + s.more() + " more time" + (s.more() == 1 ? "" : "s") + " in " + format(window) + ")");
                }
                it.remove();
            }
        }
        return out;
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
