package dev.tradeplane.engine.venue.paper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.instrument.Steps;
import dev.tradeplane.engine.venue.paper.book.OrderBook;
import dev.tradeplane.model.Side;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Replays a recorded market: level updates (the market's size at a price) and trades (an aggressor's size at a price),
 * in their recorded timing, scaled by a speed. A trade goes through the book like any taker, so own orders in its
 * way fill in their queue place; a level update sets the market's size at a price (adding at the back of the queue,
 * or canceling the newest market orders). If the recording's book crosses an own order, the market traded through
 * it: the crossing is executed. The format is in docs/PAPER-VENUE.md.
 */
final class ReplaySource implements MarketSource {

    /** One recorded event. {@code side} is the book side for a level, the aggressor for a trade. */
    record Recorded(long offsetMillis, boolean trade, Side side, long priceTicks, long lots) {}

    private final List<Recorded> events;
    private final long stepMillis;
    private final boolean loop;
    private long clockMillis;
    private int next;

    ReplaySource(List<Recorded> events, Duration step, BigDecimal speed, boolean loop) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("the recording has no events");
        }
        this.events = List.copyOf(events);
        this.stepMillis = Math.max(1, speed.multiply(BigDecimal.valueOf(step.toMillis())).longValue());
        this.loop = loop;
    }

    /** Reads a recording: one JSON object per line; blank lines and lines starting with # are skipped. */
    static List<Recorded> read(String location, PaperConfig.InstrumentSpec spec, ObjectMapper mapper) {
        List<Recorded> out = new ArrayList<>();
        Instant start = null;
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(location), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                JsonNode e = mapper.readTree(line);
                Instant ts = Instant.parse(e.path("ts").asText());
                start = start == null ? ts : start;
                String type = e.path("type").asText();
                BigDecimal price = new BigDecimal(e.path("price").asText());
                BigDecimal size = new BigDecimal(e.path("size").asText());
                boolean trade = switch (type) {
                    case "trade" -> true;
                    case "level" -> false;
                    default -> throw new IllegalArgumentException("type must be level or trade");
                };
                Side side = trade ? Side.valueOf(e.path("aggressor").asText())
                        : "BID".equals(e.path("side").asText()) ? Side.BUY : Side.SELL;
                if (!"BID".equals(e.path("side").asText()) && !"ASK".equals(e.path("side").asText()) && !trade) {
                    throw new IllegalArgumentException("side must be BID or ASK");
                }
                out.add(new Recorded(Duration.between(start, ts).toMillis(), trade, side,
                        Steps.count(price, spec.tickSize()), Steps.count(size, spec.lotSize())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + location, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("recording " + location + ", line " + lineNumber + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
            if (in == null) {
                in = ReplaySource.class.getClassLoader().getResourceAsStream(resource);
            }
            if (in == null) {
                throw new IOException("no class-path resource " + resource);
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    @Override
    public void open(OrderBook book, LongSupplier ids) {
        // The book at the start is every level update up to the first trade.
        while (next < events.size() && !events.get(next).trade()) {
            apply(book, ids, events.get(next++), (maker, lots, price) -> { });
        }
        clockMillis = next < events.size() ? events.get(next).offsetMillis() : 0;
    }

    @Override
    public void step(OrderBook book, LongSupplier ids, OrderBook.FillSink sink) {
        clockMillis += stepMillis;
        while (true) {
            if (next == events.size()) {
                if (!loop) {
                    return;
                }
                next = 0;
                clockMillis = stepMillis;
            }
            Recorded e = events.get(next);
            if (e.offsetMillis() > clockMillis) {
                break;
            }
            apply(book, ids, e, sink);
            next++;
        }
        uncross(book, sink);
    }

    private static void apply(OrderBook book, LongSupplier ids, Recorded e, OrderBook.FillSink sink) {
        if (e.trade()) {
            book.match(e.side(), e.priceTicks(), e.lots(), false, sink);
            return;
        }
        long current = book.marketLotsAt(e.side(), e.priceTicks());
        if (e.lots() > current) {
            book.add(ids.getAsLong(), e.side(), e.priceTicks(), e.lots() - current, false);
        } else if (e.lots() < current) {
            book.trimMarketOrders(e.side(), e.priceTicks(), e.lots());
        }
    }

    /**
     * A recorded book that crosses the resting orders means the market traded through them: the crossing quantity
     * executes on both sides, each resting order at its own price.
     */
    private static void uncross(OrderBook book, OrderBook.FillSink sink) {
        while (book.bestBid() != OrderBook.NONE && book.bestAsk() != OrderBook.NONE && book.bestBid() >= book.bestAsk()) {
            long bid = book.bestBid();
            long ask = book.bestAsk();
            long lots = Math.min(book.lotsAt(Side.BUY, bid), book.lotsAt(Side.SELL, ask));
            long traded = lots - book.match(Side.SELL, bid, lots, false, sink);
            book.match(Side.BUY, ask, traded, false, sink);
            if (traded == 0) {
                return;
            }
        }
    }
}
