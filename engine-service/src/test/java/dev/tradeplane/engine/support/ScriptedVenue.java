package dev.tradeplane.engine.support;

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
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A venue a test drives by hand, for the OMS' races: the test sets the quote, makes fills happen, and can have a fill
 * arrive before the venue answers a cancel or a replace, exactly as an exchange's stream may. Market orders fill
 * completely at the touch; limit orders rest. Its instrument is {@code XYZUSDT.SCRIPT}.
 */
@Singleton
@LookupIfProperty(name = "tradeplane.test.scripted-venue", stringValue = "true")
public class ScriptedVenue implements Venue {

    public static final String NAME = "SCRIPT";
    public static final String SYMBOL = "XYZUSDT";

    /** An order working here. */
    public record Working(VenueOrder order, BigDecimal remaining) {}

    private final Map<String, Working> working = new ConcurrentHashMap<>();
    private final Map<String, VenueOrder> seen = new ConcurrentHashMap<>();
    private final Map<String, List<VenueFill>> trades = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicLong tradeIds = new AtomicLong();
    private volatile TopOfBook top = new TopOfBook(new BigDecimal("100.00"), new BigDecimal("100.10"), Instant.now());
    private volatile boolean noMarket;
    private volatile ExecutionListener listener;
    private volatile MarketListener marketListener;
    private volatile Consumer<String> beforeCancelAnswer = id -> { };
    private volatile Consumer<String> beforeReplaceAnswer = id -> { };
    private volatile Consumer<String> afterReplaceDone = id -> { };
    private volatile boolean losingReplaceAnswers;
    private volatile boolean replacementsEndAtOnce;
    private volatile boolean replacesDropTheOrder;
    private volatile String racingFill;
    private volatile boolean failing;
    private volatile boolean losingAnswers;
    private volatile RuntimeException cancelFailure;
    private volatile RuntimeException replaceFailure;
    private volatile dev.tradeplane.model.RejectReason replaceRefusal;
    private final Map<String, List<Instant>> replaceTimes = new ConcurrentHashMap<>();
    private volatile java.time.Duration lateActionWindow = java.time.Duration.ZERO;
    private volatile boolean digestLongIds;
    private volatile boolean delayingSubmits;
    private final Map<String, VenueOrder> delayed = new ConcurrentHashMap<>();

    /** A refusal the venue certainly did not act on (as an exchange's "too many requests, retry after"). */
    public static final class Refusal extends RuntimeException implements dev.tradeplane.engine.venue.VenueFailure {
        public Refusal(String message) {
            super(message);
        }

        @Override
        public boolean definite() {
            return true;
        }

        @Override
        public Optional<java.time.Duration> retryAfter() {
            return Optional.of(java.time.Duration.ofSeconds(3));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Instrument> instruments() {
        return List.of(new Instrument(SYMBOL + "." + NAME, NAME, "XYZ", "USDT", new BigDecimal("0.01"), new BigDecimal("0.001"), BigDecimal.ONE));
    }

    @Override
    public Map<String, BigDecimal> openingBalances() {
        return Map.of("USDT", new BigDecimal("1000000"));
    }

    @Override
    public Optional<TopOfBook> topOfBook(String symbol) {
        return noMarket ? Optional.empty() : Optional.of(top);
    }

    @Override
    public synchronized Uni<VenueAck> submit(VenueOrder order) {
        if (failing) {
            log.add("fail " + order.clientOrderId());
            return Uni.createFrom().failure(new IllegalStateException("scripted venue outage"));
        }
        log.add("submit " + order.clientOrderId() + " " + order.type() + " " + order.quantity().toPlainString()
                + (order.price() == null ? "" : " @" + order.price().toPlainString()));
        if (delayingSubmits) {
            delayed.put(order.clientOrderId(), order);
            return Uni.createFrom().failure(new java.util.concurrent.TimeoutException("scripted timeout; the venue takes the order up later"));
        }
        String venueId = "S-" + order.clientOrderId();
        seen.put(order.clientOrderId(), order);
        VenueAck ack;
        if (order.type() == OrderType.MARKET) {
            BigDecimal price = order.side() == Side.BUY ? top.ask() : top.bid();
            VenueFill f = fill(order.quantity(), price, Liquidity.TAKER);
            trades.computeIfAbsent(order.clientOrderId(), k -> new CopyOnWriteArrayList<>()).add(f);
            ack = new VenueAck(venueId, VenueAck.Outcome.DONE, List.of(f), null, null);
        } else {
            working.put(order.clientOrderId(), new Working(order, order.quantity()));
            ack = new VenueAck(venueId, VenueAck.Outcome.RESTING, List.of(), null, null);
        }
        if (losingAnswers) {
            log.add("answer lost " + order.clientOrderId());
            return Uni.createFrom().failure(new java.util.concurrent.TimeoutException("scripted timeout after the venue acted"));
        }
        return Uni.createFrom().item(ack);
    }

    @Override
    public synchronized Uni<CancelAck> cancel(String symbol, String clientOrderId) {
        log.add("cancel " + clientOrderId);
        if (cancelFailure != null) {
            return Uni.createFrom().failure(cancelFailure);
        }
        beforeCancelAnswer.accept(clientOrderId);
        Working w = working.remove(clientOrderId);
        return Uni.createFrom().item(w == null ? CancelAck.unknown() : new CancelAck(CancelAck.Outcome.CANCELED, w.remaining()));
    }

    @Override
    public synchronized Uni<ReplaceAck> replace(String symbol, String clientOrderId, BigDecimal quantity, BigDecimal price, BigDecimal before,
                                               BigDecimal booked) {
        log.add("replace " + clientOrderId + " " + quantity.toPlainString() + (price == null ? "" : " @" + price.toPlainString()));
        replaceTimes.computeIfAbsent(clientOrderId, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        if (replaceFailure != null) {
            return Uni.createFrom().failure(replaceFailure);
        }
        if (replaceRefusal != null) {
            return Uni.createFrom().item(ReplaceAck.rejected(replaceRefusal, "scripted: replace refused (" + replaceRefusal + ")"));
        }
        beforeReplaceAnswer.accept(clientOrderId);
        Working w = working.get(clientOrderId);
        if (w == null) {
            return Uni.createFrom().item(ReplaceAck.unknown());
        }
        if (replacesDropTheOrder) {
            if (racingFill != null) {
                fill(clientOrderId, racingFill);
            }
            working.remove(clientOrderId);
            log.add("dropped " + clientOrderId);
            return Uni.createFrom().item(ReplaceAck.unknown());
        }
        replaceWorking(w, quantity, price);
        if (replacementsEndAtOnce) {
            working.remove(clientOrderId);
            return Uni.createFrom().item(new ReplaceAck(ReplaceAck.Outcome.REPLACED, List.of(), false, null, null));
        }
        afterReplaceDone.accept(clientOrderId);
        if (losingReplaceAnswers) {
            log.add("answer lost " + clientOrderId);
            return Uni.createFrom().failure(new java.util.concurrent.TimeoutException("scripted timeout after the venue replaced"));
        }
        return Uni.createFrom().item(new ReplaceAck(ReplaceAck.Outcome.REPLACED, List.of(), true, null, null));
    }

    /** The working order becomes its replacement: {@code quantity} in all (what filled counts), at {@code price} if given. */
    private void replaceWorking(Working w, BigDecimal quantity, BigDecimal price) {
        BigDecimal filled = w.order().quantity().subtract(w.remaining());
        VenueOrder changed = new VenueOrder(w.order().clientOrderId(), w.order().symbol(), w.order().side(), w.order().type(),
                w.order().timeInForce(), quantity, price != null ? price : w.order().price(), w.order().postOnly());
        working.put(changed.clientOrderId(), new Working(changed, quantity.subtract(filled)));
        seen.put(changed.clientOrderId(), changed);
    }

    @Override
    public java.time.Duration lateActionWindow() {
        return lateActionWindow;
    }

    @Override
    public Uni<Optional<VenueOrderState>> query(String symbol, String clientOrderId) {
        VenueOrder order = seen.get(clientOrderId);
        return Uni.createFrom().item(Optional.ofNullable(order).map(o -> state(o)));
    }

    @Override
    public Uni<List<VenueOrderState>> openOrders() {
        return Uni.createFrom().item(working.values().stream().map(w -> state(w.order(), venueClientId(w.order().clientOrderId()))).toList());
    }

    /** With {@link #digestLongIds} on, an id longer than 36 characters is known here by a digest of it, as at Binance. */
    @Override
    public String venueClientId(String clientOrderId) {
        return digestLongIds && clientOrderId.length() > 36 ? "sv-" + Integer.toHexString(clientOrderId.hashCode()) : clientOrderId;
    }

    /** Submits time out unanswered and unknown here, until {@link #takeUpLate} places them (as a venue acting late). */
    public void delayingSubmits(boolean on) {
        this.delayingSubmits = on;
    }

    /** Places now a submit that timed out while {@link #delayingSubmits} was on, as a resting order. */
    public synchronized void takeUpLate(String clientOrderId) {
        VenueOrder order = delayed.remove(clientOrderId);
        log.add("taken up late " + clientOrderId);
        seen.put(clientOrderId, order);
        working.put(clientOrderId, new Working(order, order.quantity()));
    }

    public void digestLongIds(boolean on) {
        this.digestLongIds = on;
    }

    private VenueOrderState state(VenueOrder o) {
        return state(o, o.clientOrderId());
    }

    /** The order as the venue has it, named by {@code named} (the id the venue knows it by). */
    private VenueOrderState state(VenueOrder o, String named) {
        List<VenueFill> made = trades.getOrDefault(o.clientOrderId(), List.of());
        BigDecimal filled = made.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new VenueOrderState(named, SYMBOL, o.side(), working.containsKey(o.clientOrderId()), o.quantity(), filled,
                o.price(), List.copyOf(made), "S-" + o.clientOrderId());
    }

    @Override
    public void setExecutionListener(ExecutionListener listener) {
        this.listener = listener;
    }

    @Override
    public void setMarketListener(MarketListener listener) {
        this.marketListener = listener;
    }

    // ---- what the test does

    /** The market moves: a new quote, as the venue would report it. */
    public void quote(String bid, String ask) {
        top = new TopOfBook(new BigDecimal(bid), new BigDecimal(ask), Instant.now());
        noMarket = false;
        marketListener.onQuote(NAME, SYMBOL, top);
    }

    /** The venue has no market for its instrument any more (as a book not yet in step), until the next quote. */
    public void noMarket() {
        noMarket = true;
    }

    /** A resting order fills (part of) its quantity at its limit price, reported like an exchange's stream. */
    public synchronized void fill(String clientOrderId, String quantity) {
        Working w = working.get(clientOrderId);
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal remaining = w.remaining().subtract(q);
        if (remaining.signum() == 0) {
            working.remove(clientOrderId);
        } else {
            working.put(clientOrderId, new Working(w.order(), remaining));
        }
        VenueFill f = fill(q, w.order().price(), Liquidity.MAKER);
        trades.computeIfAbsent(clientOrderId, k -> new CopyOnWriteArrayList<>()).add(f);
        listener.onFill(NAME, SYMBOL, clientOrderId, f, remaining.signum() == 0);
    }

    /** The last trade of an order is reported once more, as an exchange's stream may after a reconnection. */
    public synchronized void reportAgain(String clientOrderId, boolean done) {
        List<VenueFill> made = trades.get(clientOrderId);
        listener.onFill(NAME, SYMBOL, clientOrderId, made.get(made.size() - 1), done);
    }

    /** A resting order fills at the venue, but the report never reaches the engine (a dropped stream message). */
    public synchronized void fillUnreported(String clientOrderId, String quantity) {
        Working w = working.get(clientOrderId);
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal remaining = w.remaining().subtract(q);
        if (remaining.signum() == 0) {
            working.remove(clientOrderId);
        } else {
            working.put(clientOrderId, new Working(w.order(), remaining));
        }
        trades.computeIfAbsent(clientOrderId, k -> new CopyOnWriteArrayList<>()).add(fill(q, w.order().price(), Liquidity.MAKER));
    }

    /** The venue drops a resting order without telling the engine (e.g. canceled by the exchange's operator). */
    public synchronized void dropUnreported(String clientOrderId) {
        working.remove(clientOrderId);
    }

    /** An order works at the venue that the engine never sent (placed by hand on the exchange, or left by a crash). */
    public synchronized void addStranger(String clientOrderId, String quantity, String price) {
        VenueOrder order = new VenueOrder(clientOrderId, SYMBOL, Side.BUY, OrderType.LIMIT, dev.tradeplane.model.TimeInForce.GTC,
                new BigDecimal(quantity), new BigDecimal(price), false);
        seen.put(clientOrderId, order);
        working.put(clientOrderId, new Working(order, order.quantity()));
    }

    /**
     * A trade of the order that the venue reports only now, at {@code price}, whatever the engine has made of the order
     * (as an exchange's catch-up after a reconnection may).
     */
    public synchronized void reportLate(String clientOrderId, String quantity, String price) {
        VenueFill f = fill(new BigDecimal(quantity), new BigDecimal(price), Liquidity.MAKER);
        trades.computeIfAbsent(clientOrderId, k -> new CopyOnWriteArrayList<>()).add(f);
        listener.onFill(NAME, SYMBOL, clientOrderId, f, true);
    }

    /** How long the venue may act on a request whose answer was lost (0 by default: at once or never). */
    public void lateActionWindow(java.time.Duration window) {
        this.lateActionWindow = window;
    }

    /** While true, every new order fails as if the venue were down. */
    public void failing(boolean on) {
        this.failing = on;
    }

    /** While true, new orders are executed but their answer is lost (the engine sees a timeout). */
    public void losingAnswers(boolean on) {
        this.losingAnswers = on;
    }

    /** While set, every cancel fails with it (a {@link Refusal}: certainly not done; anything else: outcome unknown). */
    public void failingCancels(RuntimeException failure) {
        this.cancelFailure = failure;
    }

    /** While set, every replace fails with it. */
    public void failingReplaces(RuntimeException failure) {
        this.replaceFailure = failure;
    }

    /**
     * The venue acts only now on a replace the engine got no answer to (one {@link #failingReplaces} failed with an
     * unknown outcome), as an exchange may until its late-action window has passed: the order becomes the replacement.
     */
    public synchronized void replaceLate(String clientOrderId, String quantity, String price) {
        log.add("replaced late " + clientOrderId + " " + quantity + " @" + price);
        replaceWorking(working.get(clientOrderId), new BigDecimal(quantity), new BigDecimal(price));
    }

    /** While set, every replace is answered REJECTED with this reason (the venue said no; the order is unchanged). */
    public void refusingReplaces(dev.tradeplane.model.RejectReason reason) {
        this.replaceRefusal = reason;
    }

    /** When each replace of the order reached the venue, oldest first. */
    public List<Instant> replaceTimes(String clientOrderId) {
        return List.copyOf(replaceTimes.getOrDefault(clientOrderId, List.of()));
    }

    /** What runs on the venue just before it answers the next cancels (e.g. a fill that beats the cancel). */
    public void beforeCancelAnswer(Consumer<String> hook) {
        this.beforeCancelAnswer = hook;
    }

    public void beforeReplaceAnswer(Consumer<String> hook) {
        this.beforeReplaceAnswer = hook;
    }

    /** What runs on the venue once it has replaced the order, before its answer leaves (e.g. the replacement fills). */
    public void afterReplaceDone(Consumer<String> hook) {
        this.afterReplaceDone = hook;
    }

    /** While true, replaces are done at the venue but their answer is lost (the engine sees a timeout). */
    public void losingReplaceAnswers(boolean on) {
        this.losingReplaceAnswers = on;
    }

    /**
     * While on, a replace is answered as Binance's cancel/replace (STOP_ON_FAILURE) is when it canceled the order and
     * its post-only replacement was refused (the market had moved into the new price), or when a fill racing the
     * replace made the adapter cancel a replacement that had become too large: nothing of the order works here any
     * more, and the answer is UNKNOWN. {@code racingFill}, when not null, fills that much of the order first, reported
     * as the stream would.
     */
    public void replacesDropTheOrder(boolean on, String racingFill) {
        this.racingFill = racingFill;
        this.replacesDropTheOrder = on;
    }

    /** While true, a replacement ends as soon as it is placed (as self-trade prevention may expire it). */
    public void replacementsEndAtOnce(boolean on) {
        this.replacementsEndAtOnce = on;
    }

    public Optional<Working> working(String clientOrderId) {
        return Optional.ofNullable(working.get(clientOrderId));
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    public void reset() {
        noMarket = false;
        failing = false;
        losingAnswers = false;
        cancelFailure = null;
        replaceFailure = null;
        replaceRefusal = null;
        replaceTimes.clear();
        beforeCancelAnswer = id -> { };
        beforeReplaceAnswer = id -> { };
        afterReplaceDone = id -> { };
        losingReplaceAnswers = false;
        replacementsEndAtOnce = false;
        replacesDropTheOrder = false;
        racingFill = null;
        lateActionWindow = java.time.Duration.ZERO;
        digestLongIds = false;
        delayingSubmits = false;
        delayed.clear();
        working.clear();
        log.clear();
    }

    private VenueFill fill(BigDecimal quantity, BigDecimal price, Liquidity liquidity) {
        return new VenueFill("S-t" + tradeIds.incrementAndGet(), quantity, price, BigDecimal.ZERO, "USDT", liquidity, Instant.now());
    }
}
