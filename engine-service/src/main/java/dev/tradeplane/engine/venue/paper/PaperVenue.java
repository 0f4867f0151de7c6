package dev.tradeplane.engine.venue.paper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.engine.lane.Lane;
import dev.tradeplane.engine.lane.Lanes;
import dev.tradeplane.engine.venue.BookLevels;
import dev.tradeplane.engine.venue.CancelAck;
import dev.tradeplane.engine.venue.ExecutionListener;
import dev.tradeplane.engine.venue.MarketListener;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.Venue;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.engine.venue.VenueOrderState;
import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * A simulated exchange living inside the engine. Everything it does (orders, cancels, replaces, market moves,
 * fills) happens in order on one thread of its own, as an exchange's matching engine would, and is written to its
 * own journal (schema {@code paper}) before it answers or reports: fills it makes are reported to the execution
 * listener before the answer to any later command, and after an engine restart the venue rebuilds itself from the
 * journal (its resting orders, its record of orders and trades, where its market stood). The engine talks to it only
 * through {@link Venue}.
 */
@Singleton
@LookupIfProperty(name = "tradeplane.paper.enabled", stringValue = "true", lookupIfMissing = true)
public class PaperVenue implements Venue {

    /** The result of a command on the venue thread: the answer, what to journal, and what to report after. */
    private record Outcome<T>(T answer, List<PaperJournal.Entry> journal, List<Runnable> reports) {}

    /** What the venue knows of one order it received. */
    private static final class Known {
        final String venueOrderId;
        VenueOrder order;
        boolean working;
        final List<VenueFill> trades = new ArrayList<>();

        Known(VenueOrder order, boolean working, String venueOrderId) {
            this.order = order;
            this.venueOrderId = venueOrderId;
            this.working = working;
        }

        VenueOrderState state() {
            BigDecimal filled = trades.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            return new VenueOrderState(order.clientOrderId(), order.symbol(), order.side(), working, order.quantity(), filled,
                    order.price(), List.copyOf(trades), venueOrderId);
        }
    }

    private record OrderData(VenueOrder order, String outcome, String venueOrderId) {}

    private record TradeData(Side side, VenueFill fill) {}

    private record DoneData(String reason) {}

    private record ReplaceData(BigDecimal quantity, BigDecimal price) {}

    private record MarketData(long state) {}

    private record OpeningData(Map<String, BigDecimal> balances) {}

    private static final Logger LOG = Logger.getLogger(PaperVenue.class);
    private static final int MARKET_SNAPSHOT_EVERY = 20;
    /**
     * An exchange does not forget what it matched because its store hiccuped: journal writes are retried (the answer
     * waits) for this long before the venue reports a failure, which the engine then treats as an unknown outcome.
     */
    private static final java.time.Duration JOURNAL_RETRY_FOR = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration JOURNAL_RETRY_FIRST = java.time.Duration.ofMillis(100);
    private static final java.time.Duration JOURNAL_RETRY_MAX = java.time.Duration.ofSeconds(2);

    private final String name;
    private final Clock clock;
    private final Duration latency;
    private final Duration interval;
    private final ObjectMapper mapper;
    private final PaperJournal journal;
    private final Lane<Void> journalLane = new Lanes<Void>(k -> null).lane("paper-journal");
    private final Map<String, PaperInstrument> books = new LinkedHashMap<>();
    private final Map<String, TopOfBook> tops = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final List<Instrument> instruments = new ArrayList<>();
    private final Map<String, Instrument> rulesBySymbol = new LinkedHashMap<>();
    /** The account the venue opened with: from the configuration at the first start, then from the journal. */
    private volatile Map<String, BigDecimal> openingBalances;
    private final ScheduledExecutorService thread;
    private volatile ExecutionListener listener;
    private volatile MarketListener marketListener;
    private final List<dev.tradeplane.engine.venue.TradeListener> tradeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long steps;

    public PaperVenue(PaperConfig config, Clock clock, ObjectMapper mapper, Pool pool) {
        this.name = config.name();
        this.clock = clock;
        this.latency = config.latency();
        this.interval = config.tickInterval();
        this.mapper = mapper;
        this.journal = new PaperJournal(pool, name);
        this.openingBalances = Map.copyOf(config.initialBalances());
        String session = Long.toString(clock.millis(), 36);
        Duration step = interval.isZero() ? Duration.ofMillis(250) : interval;
        config.instruments().forEach((symbol, spec) -> {
            MarketSource source = switch (spec.source()) {
                case SYNTHETIC -> new SyntheticSource(spec, config.seed() ^ symbol.hashCode(), step.toMillis() / 1000.0);
                case REPLAY -> new ReplaySource(ReplaySource.read(spec.replayFile().orElseThrow(() -> new IllegalStateException(
                        "tradeplane.paper.instruments." + symbol + ".replay-file is required for source REPLAY")), spec, mapper),
                        step, spec.replaySpeed(), spec.replayLoop());
            };
            PaperInstrument instrument = new PaperInstrument(symbol, session, spec, source, config.takerFeeBps(), config.makerFeeBps());
            instrument.onTrade(trade -> {
                for (dev.tradeplane.engine.venue.TradeListener l : tradeListeners) {
                    l.onTrade(name, symbol, trade);
                }
            });
            books.put(symbol, instrument);
            Instrument rules = new Instrument(symbol + "." + name, name, spec.baseAsset(), spec.quoteAsset(),
                    spec.tickSize(), spec.lotSize(), spec.minNotional());
            instruments.add(rules);
            rulesBySymbol.put(symbol, rules);
        });
        books.forEach((symbol, book) -> publishTop(symbol, book));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "paper-venue");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Instrument> instruments() {
        return List.copyOf(instruments);
    }

    @Override
    public Map<String, BigDecimal> openingBalances() {
        return openingBalances;
    }

    @Override
    public Optional<TopOfBook> topOfBook(String symbol) {
        return Optional.ofNullable(tops.get(symbol));
    }

    @Override
    public Optional<dev.tradeplane.engine.venue.LastTrade> lastTrade(String symbol) {
        PaperInstrument book = books.get(symbol);
        return book == null ? Optional.empty() : Optional.ofNullable(book.lastTrade());
    }

    @Override
    public void setExecutionListener(ExecutionListener listener) {
        this.listener = listener;
    }

    @Override
    public void setMarketListener(MarketListener listener) {
        this.marketListener = listener;
    }

    @Override
    public void addTradeListener(dev.tradeplane.engine.venue.TradeListener listener) {
        tradeListeners.add(listener);
    }

    /**
     * Rebuilds the venue from its journal (journaling its opening balances the first time), then starts the market.
     */
    @Override
    public Uni<Void> start() {
        return journal.readAll().flatMap(entries -> onThread(() -> {
            restore(entries);
            return entries.stream().noneMatch(e -> PaperJournal.OPENING.equals(e.kind()));
        })).flatMap(first -> first
                ? journal.append(List.of(entry("*", PaperJournal.OPENING, null, new OpeningData(openingBalances), clock.instant())))
                : Uni.createFrom().voidItem()).invoke(() -> {
            if (!interval.isZero()) {
                thread.scheduleAtFixedRate(() -> moveMarkets().subscribe().with(x -> { }, e -> LOG.error("Paper market step failed", e)),
                        interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }).replaceWithVoid();
    }

    private void restore(List<PaperJournal.Entry> entries) {
        Map<String, Long> market = new LinkedHashMap<>();
        for (PaperJournal.Entry e : entries) {
            switch (e.kind()) {
                case PaperJournal.ORDER -> {
                    OrderData d = read(e.data(), OrderData.class);
                    known.put(e.clientOrderId(), new Known(d.order(), "RESTING".equals(d.outcome()), d.venueOrderId()));
                }
                case PaperJournal.TRADE -> {
                    Known k = known.get(e.clientOrderId());
                    if (k != null) {
                        k.trades.add(read(e.data(), TradeData.class).fill());
                    }
                }
                case PaperJournal.DONE -> {
                    Known k = known.get(e.clientOrderId());
                    if (k != null) {
                        k.working = false;
                    }
                }
                case PaperJournal.REPLACE -> {
                    Known k = known.get(e.clientOrderId());
                    if (k != null) {
                        ReplaceData d = read(e.data(), ReplaceData.class);
                        k.order = new VenueOrder(k.order.clientOrderId(), k.order.symbol(), k.order.side(), k.order.type(),
                                k.order.timeInForce(), d.quantity(), d.price(), k.order.postOnly());
                    }
                }
                case PaperJournal.MARKET -> market.put(e.symbol(), read(e.data(), MarketData.class).state());
                case PaperJournal.OPENING -> openingBalances = Map.copyOf(read(e.data(), OpeningData.class).balances());
                default -> LOG.warnf("Unknown paper journal entry %s", e.kind());
            }
        }
        market.forEach((symbol, state) -> {
            PaperInstrument book = books.get(symbol);
            if (book != null && state >= 0) {
                book.restoreMarket(state);
            }
        });
        int resting = 0;
        for (Known k : known.values()) {
            PaperInstrument book = books.get(k.order.symbol());
            if (k.working && book != null) {
                book.resume(k.order, k.state().filledQuantity());
                resting++;
            }
        }
        books.forEach(this::publishTop);
        LOG.infof("Paper venue %s restored from its journal: %d orders known, %d resting", name, known.size(), resting);
    }

    @Override
    public Uni<VenueAck> submit(VenueOrder order) {
        return command(now -> {
            PaperInstrument book = books.get(order.symbol());
            if (book == null) {
                return new Outcome<>(VenueAck.rejected(RejectReason.UNKNOWN_SYMBOL, "the paper venue does not list " + order.symbol()),
                        List.of(), List.of());
            }
            VenueAck ack = book.submit(order, now);
            publishTop(order.symbol(), book);
            List<PaperJournal.Entry> entries = new ArrayList<>();
            if (ack.outcome() == VenueAck.Outcome.REJECTED && ack.venueOrderId() == null) {
                return new Outcome<>(ack, entries, List.of());
            }
            entries.add(entry(order.symbol(), PaperJournal.ORDER, order.clientOrderId(), new OrderData(order, ack.outcome().name(),
                    ack.venueOrderId()), now));
            Known k = new Known(order, ack.outcome() == VenueAck.Outcome.RESTING, ack.venueOrderId());
            for (VenueFill fill : ack.fills()) {
                entries.add(entry(order.symbol(), PaperJournal.TRADE, order.clientOrderId(), new TradeData(order.side(), fill), now));
                k.trades.add(fill);
            }
            known.put(order.clientOrderId(), k);
            return new Outcome<>(ack, entries, List.of());
        });
    }

    @Override
    public Uni<CancelAck> cancel(String symbol, String clientOrderId) {
        return command(now -> {
            PaperInstrument book = books.get(symbol);
            CancelAck ack = book == null ? CancelAck.unknown() : book.cancel(clientOrderId, now);
            List<PaperJournal.Entry> entries = new ArrayList<>();
            if (ack.outcome() == CancelAck.Outcome.CANCELED) {
                entries.add(entry(symbol, PaperJournal.DONE, clientOrderId, new DoneData("canceled"), now));
                Known k = known.get(clientOrderId);
                if (k != null) {
                    k.working = false;
                }
            }
            return new Outcome<>(ack, entries, List.of());
        });
    }

    @Override
    public Uni<ReplaceAck> replace(String symbol, String clientOrderId, BigDecimal quantity, BigDecimal price, BigDecimal before,
                                   BigDecimal filled) {
        return command(now -> {
            PaperInstrument book = books.get(symbol);
            if (book == null) {
                return new Outcome<>(ReplaceAck.unknown(), List.of(), List.of());
            }
            ReplaceAck ack = book.replace(clientOrderId, quantity, price, now);
            publishTop(symbol, book);
            List<PaperJournal.Entry> entries = new ArrayList<>();
            Known k = known.get(clientOrderId);
            if (ack.outcome() == ReplaceAck.Outcome.REPLACED && k != null) {
                entries.add(entry(symbol, PaperJournal.REPLACE, clientOrderId, new ReplaceData(quantity, price), now));
                k.order = new VenueOrder(clientOrderId, symbol, k.order.side(), k.order.type(), k.order.timeInForce(), quantity, price,
                        k.order.postOnly());
                for (VenueFill fill : ack.fills()) {
                    entries.add(entry(symbol, PaperJournal.TRADE, clientOrderId, new TradeData(k.order.side(), fill), now));
                    k.trades.add(fill);
                }
                if (!ack.resting()) {
                    entries.add(entry(symbol, PaperJournal.DONE, clientOrderId, new DoneData("filled"), now));
                    k.working = false;
                }
            }
            return new Outcome<>(ack, entries, List.of());
        });
    }

    @Override
    public Uni<Optional<VenueOrderState>> query(String symbol, String clientOrderId) {
        return onThread(() -> Optional.ofNullable(known.get(clientOrderId)).map(Known::state));
    }

    @Override
    public Uni<List<VenueOrderState>> openOrders() {
        return onThread(() -> known.values().stream().filter(k -> k.working).map(Known::state).toList());
    }

    @Override
    public Uni<Map<String, BigDecimal>> positions() {
        return onThread(() -> {
            Map<String, BigDecimal> net = new LinkedHashMap<>();
            for (Known k : known.values()) {
                for (VenueFill f : k.trades) {
                    net.merge(k.order.symbol(), k.order.side() == Side.BUY ? f.quantity() : f.quantity().negate(), BigDecimal::add);
                }
            }
            return net;
        });
    }

    /** The account as the venue keeps it: the opening balances, moved by every trade and its fee. */
    @Override
    public Uni<Map<String, BigDecimal>> balances() {
        return onThread(() -> {
            Map<String, BigDecimal> out = new LinkedHashMap<>(openingBalances);
            for (Known k : known.values()) {
                Instrument rules = rulesBySymbol.get(k.order.symbol());
                if (rules == null) {
                    continue;
                }
                for (VenueFill f : k.trades) {
                    BigDecimal signed = k.order.side() == Side.BUY ? f.quantity() : f.quantity().negate();
                    out.merge(rules.baseAsset(), signed, BigDecimal::add);
                    out.merge(rules.quoteAsset(), signed.multiply(f.price()).negate(), BigDecimal::add);
                    out.merge(f.feeAsset(), f.fee().negate(), BigDecimal::add);
                }
            }
            return out;
        });
    }

    @Override
    public Uni<Optional<BookLevels>> book(String symbol, int levels) {
        return onThread(() -> {
            PaperInstrument book = books.get(symbol);
            return book == null ? Optional.<BookLevels>empty()
                    : Optional.of(new BookLevels(book.levels(Side.BUY, levels), book.levels(Side.SELL, levels), clock.instant(), null));
        });
    }

    /** Moves every market one step now; tests that stop the timer drive the market with this. */
    public Uni<Void> advance() {
        return onThread(this::moveMarkets).flatMap(done -> done);
    }

    /** How many lots are queued ahead of an own order at its price; -1 if it is not working. For tests. */
    public Uni<Long> queueAhead(String symbol, String clientOrderId) {
        return onThread(() -> books.get(symbol).lotsAhead(clientOrderId));
    }

    /** One step of every market, on the venue thread; completes when its fills are journaled and reported. */
    private Uni<Void> moveMarkets() {
        Instant now = clock.instant();
        steps++;
        List<PaperJournal.Entry> entries = new ArrayList<>();
        List<Runnable> reports = new ArrayList<>();
        for (Map.Entry<String, PaperInstrument> entry : books.entrySet()) {
            String symbol = entry.getKey();
            try {
                for (PaperInstrument.RestingFill fill : entry.getValue().step(now)) {
                    Known k = known.get(fill.clientOrderId());
                    Side side = k == null ? null : k.order.side();
                    entries.add(entry(symbol, PaperJournal.TRADE, fill.clientOrderId(), new TradeData(side, fill.fill()), now));
                    if (k != null) {
                        k.trades.add(fill.fill());
                    }
                    if (fill.done()) {
                        entries.add(entry(symbol, PaperJournal.DONE, fill.clientOrderId(), new DoneData("filled"), now));
                        if (k != null) {
                            k.working = false;
                        }
                    }
                    reports.add(() -> {
                        ExecutionListener target = listener;
                        if (target != null) {
                            target.onFill(name, symbol, fill.clientOrderId(), fill.fill(), fill.done());
                        }
                    });
                }
                if (steps % MARKET_SNAPSHOT_EVERY == 0 && entry.getValue().marketState() >= 0) {
                    entries.add(entry(symbol, PaperJournal.MARKET, null, new MarketData(entry.getValue().marketState()), now));
                }
                publishTop(symbol, entry.getValue());
            } catch (RuntimeException e) {
                // One bad step must not stop the market; the next tick tries again.
                LOG.errorf(e, "Paper market step of %s failed", symbol);
            }
        }
        return journaled(new Outcome<>(null, entries, reports)).replaceWithVoid();
    }

    private void publishTop(String symbol, PaperInstrument book) {
        TopOfBook top = book.top(clock.instant());
        if (top == null) {
            tops.remove(symbol);
            return;
        }
        TopOfBook previous = tops.put(symbol, top);
        MarketListener target = marketListener;
        if (target != null && (previous == null || !previous.bid().equals(top.bid()) || !previous.ask().equals(top.ask()))) {
            target.onQuote(name, symbol, top);
        }
    }

    /** Runs a client's command on the venue thread (after the configured latency), journals it, then answers. */
    private <T> Uni<T> command(Function<Instant, Outcome<T>> work) {
        Uni<Outcome<T>> done = latency.isZero()
                ? onThread(() -> work.apply(clock.instant()))
                : Uni.createFrom().emitter(emitter -> thread.schedule(() -> run(() -> work.apply(clock.instant()), emitter),
                        latency.toMillis(), TimeUnit.MILLISECONDS));
        return done.flatMap(this::journaled);
    }

    /**
     * Appends the outcome's journal entries behind every earlier one, then runs its reports and answers. Called on
     * the venue thread, so the journal (and with it every report and answer) keeps the venue's own order.
     */
    private <T> Uni<T> journaled(Outcome<T> outcome) {
        return journalLane.submit(x -> journal.append(outcome.journal())
                        .onFailure().invoke(e -> LOG.warnf("The paper venue could not journal %d entries (%s); retrying",
                                outcome.journal().size(), e.getMessage()))
                        .onFailure().retry().withBackOff(JOURNAL_RETRY_FIRST, JOURNAL_RETRY_MAX).expireIn(journalDeadline())
                        .onFailure().invoke(e -> LOG.errorf("The paper venue gave up journaling %d entries: %s", outcome.journal().size(),
                                e.getMessage())))
                .map(x -> {
                    outcome.reports().forEach(Runnable::run);
                    return outcome.answer();
                });
    }

    private static long journalDeadline() {
        return System.currentTimeMillis() + JOURNAL_RETRY_FOR.toMillis();
    }

    private <T> Uni<T> onThread(java.util.function.Supplier<T> work) {
        return Uni.createFrom().emitter(emitter -> thread.execute(() -> run(work, emitter)));
    }

    private static <T> void run(java.util.function.Supplier<T> work, io.smallrye.mutiny.subscription.UniEmitter<? super T> emitter) {
        try {
            emitter.complete(work.get());
        } catch (RuntimeException e) {
            emitter.fail(e);
        }
    }

    private PaperJournal.Entry entry(String symbol, String kind, String clientOrderId, Object data, Instant at) {
        try {
            return new PaperJournal.Entry(symbol, kind, clientOrderId, mapper.writeValueAsString(data), at);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable paper journal entry: " + json, e);
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
