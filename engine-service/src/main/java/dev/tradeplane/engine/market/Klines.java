package dev.tradeplane.engine.market;

import dev.tradeplane.engine.venue.LastTrade;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.Venues;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Kline;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-minute klines of every instrument, built from the trades its venue prints (the market's and ours), the last
 * {@link #KEPT} minutes of each kept in memory. A minute without trades has no kline.
 */
@Singleton
public class Klines {

    /** Minutes kept per instrument. */
    static final int KEPT = 240;

    private static final class Building {
        Instant start;
        BigDecimal open;
        BigDecimal high;
        BigDecimal low;
        BigDecimal close;
        BigDecimal volume = BigDecimal.ZERO;
        BigDecimal quoteVolume = BigDecimal.ZERO;
        int trades;

        Kline done() {
            return new Kline(start, open, high, low, close, volume.stripTrailingZeros(), quoteVolume.stripTrailingZeros(), trades);
        }
    }

    private static final class Series {
        final Deque<Kline> closed = new ArrayDeque<>();
        Building current;
    }

    private final Venues venues;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public Klines(Venues venues) {
        this.venues = venues;
    }

    void start(@Observes StartupEvent event) {
        for (Venue v : venues.all()) {
            v.addTradeListener(this::onTrade);
        }
    }

    void onTrade(String venue, String symbol, LastTrade t) {
        if (t.time() == null) {
            return;
        }
        Series s = series.computeIfAbsent(symbol + "." + venue, k -> new Series());
        Instant minute = t.time().truncatedTo(ChronoUnit.MINUTES);
        synchronized (s) {
            Building b = s.current;
            if (b != null && minute.isAfter(b.start)) {
                s.closed.addLast(b.done());
                while (s.closed.size() >= KEPT) {
                    s.closed.removeFirst();
                }
                b = null;
            } else if (b != null && minute.isBefore(b.start)) {
                return; // a late trade of a closed minute: the kline is already out
            }
            if (b == null) {
                b = new Building();
                b.start = minute;
                b.open = t.price();
                b.high = t.price();
                b.low = t.price();
                s.current = b;
            }
            b.high = b.high.max(t.price());
            b.low = b.low.min(t.price());
            b.close = t.price();
            b.volume = b.volume.add(t.quantity());
            b.quoteVolume = b.quoteVolume.add(t.quantity().multiply(t.price()));
            b.trades++;
        }
    }

    /** The last {@code limit} klines of an instrument, oldest first, the current (still open) minute last. */
    public List<Kline> last(InstrumentId id, int limit) {
        Series s = series.get(id.toString());
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            List<Kline> all = new ArrayList<>(s.closed);
            if (s.current != null) {
                all.add(s.current.done());
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
        }
    }
}
