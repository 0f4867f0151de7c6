package dev.tradeplane.engine.venue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Venue} (DESIGN 7): what the engine relies on from every venue, the paper venue and each
 * exchange adapter alike. A subclass starts a venue of its own (not the engine's, so nothing else sends it orders or
 * reconciles it) in a quiet market around a known touch, and says how the market fills an order resting at the touch.
 */
public abstract class VenueContract {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A fill reported to the execution listener. */
    public record Reported(String clientOrderId, VenueFill fill, boolean done) {}

    /** Where the subclass's venue reports fills of resting orders. */
    protected static final List<Reported> REPORTED = new CopyOnWriteArrayList<>();

    protected static final ExecutionListener LISTENER = (venue, symbol, clientOrderId, fill, done) ->
            REPORTED.add(new Reported(clientOrderId, fill, done));

    /** A venue under test, and how to stop it. */
    public record Created(Venue venue, Runnable stop) {}

    /** The venue under test, started once per test class. */
    private static volatile Created created;

    /** A venue of the subclass's own, not started yet (the contract starts it with {@link #LISTENER}). */
    protected abstract Created create();

    /** The venue under test. */
    protected Venue venue() {
        return created.venue();
    }

    private void startOnce() {
        if (created != null) {
            return;
        }
        Created made = create();
        made.venue().setExecutionListener(LISTENER);
        made.venue().start().await().atMost(Duration.ofSeconds(30));
        created = made;
    }

    @AfterAll
    static void stopTheVenue() {
        if (created != null) {
            created.stop().run();
            created = null;
        }
    }

    /** The venue's symbol traded in the tests (without the venue suffix). */
    protected String symbol() {
        return "BTCUSDT";
    }

    /** A quantity of a few times the minimum notional, a whole number of lots. */
    protected BigDecimal quantity() {
        return new BigDecimal("0.002");
    }

    /** A venue's configuration mapping read from {@code properties} alone, durations as Quarkus reads them ("250ms"). */
    protected static <T> T config(Class<T> mapping, java.util.Map<String, String> properties) {
        return new io.smallrye.config.SmallRyeConfigBuilder().withMapping(mapping)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new io.smallrye.config.PropertiesConfigSource(properties, "venue-contract", 500))
                .build().getConfigMapping(mapping);
    }

    /**
     * The market trades through an order of ours resting at the touch, until it has filled completely (the paper
     * venue: its market steps; an exchange's fake: its takers).
     */
    protected abstract void fillAtTouch(String clientOrderId, Side side, BigDecimal price, BigDecimal quantity);

    @BeforeEach
    void aMarketToTradeIn() {
        startOnce();
        await().atMost(WAIT).until(() -> venue().topOfBook(symbol()).isPresent());
    }

    private Instrument rules() {
        return venue().instruments().stream().filter(i -> i.symbol().equals(symbol() + "." + venue().name())).findFirst().orElseThrow();
    }

    private TopOfBook top() {
        return venue().topOfBook(symbol()).orElseThrow();
    }

    private static String clientId() {
        return "vc-" + UUID.randomUUID().toString().substring(0, 18);
    }

    private VenueOrder limit(String clientId, Side side, BigDecimal quantity, BigDecimal price, boolean postOnly) {
        return new VenueOrder(clientId, symbol(), side, OrderType.LIMIT, TimeInForce.GTC, quantity, price, postOnly);
    }

    private VenueOrderState query(String clientId) {
        return venue().query(symbol(), clientId).await().atMost(WAIT).orElseThrow(() -> new AssertionError(clientId + " unknown to the venue"));
    }

    private boolean listedOpen(String clientId) {
        String asListed = venue().venueClientId(clientId);
        return venue().openOrders().await().atMost(WAIT).stream().anyMatch(o -> o.clientOrderId().equals(asListed));
    }

    private static BigDecimal sum(List<VenueFill> fills) {
        return fills.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void assertSame(BigDecimal expected, BigDecimal actual, String what) {
        assertNotNull(actual, what);
        assertEquals(0, expected.compareTo(actual), what + ": expected " + expected.toPlainString() + ", was " + actual.toPlainString());
    }

    /** Prices below the bid by {@code ticks}. */
    private BigDecimal belowBid(int ticks) {
        return top().bid().subtract(rules().tickSize().multiply(BigDecimal.valueOf(ticks)));
    }

    @Test
    void itListsItsInstrumentsWithTheirRulesAndATwoSidedTouch() {
        Instrument rules = rules();
        assertEquals(venue().name(), rules.venue());
        assertTrue(rules.tickSize().signum() > 0 && rules.lotSize().signum() > 0 && rules.minNotional().signum() >= 0, rules.toString());
        TopOfBook top = top();
        assertTrue(top.bid().compareTo(top.ask()) < 0, "bid below ask: " + top);
        assertNotNull(top.time());
    }

    @Test
    void aMarketOrderFillsInItsAnswerAsTakerAndTheVenueRemembersItsTrades() {
        String id = clientId();
        TopOfBook before = top();
        VenueAck ack = venue().submit(new VenueOrder(id, symbol(), Side.BUY, OrderType.MARKET, TimeInForce.IOC, quantity(), null, false))
                .await().atMost(WAIT);
        assertEquals(VenueAck.Outcome.DONE, ack.outcome(), ack.toString());
        assertSame(quantity(), sum(ack.fills()), "filled in the answer");
        Set<String> tradeIds = new HashSet<>();
        for (VenueFill f : ack.fills()) {
            assertEquals(Liquidity.TAKER, f.liquidity());
            assertTrue(f.price().compareTo(before.ask()) >= 0, "a buy takes the ask or above: " + f.price());
            assertTrue(tradeIds.add(f.tradeId()), "each trade once: " + f.tradeId());
        }
        VenueOrderState state = query(id);
        assertFalse(state.working());
        assertSame(quantity(), state.filledQuantity(), "filled, as the venue has it");
        assertEquals(tradeIds, new HashSet<>(state.trades().stream().map(VenueFill::tradeId).toList()), "the same trades, by id");
        assertFalse(listedOpen(id));
    }

    @Test
    void aLimitOrderBelowTheBidRestsIsListedAndIsReplacedThenCanceled() {
        String id = clientId();
        BigDecimal price = belowBid(5);
        VenueAck ack = venue().submit(limit(id, Side.BUY, quantity(), price, false)).await().atMost(WAIT);
        assertEquals(VenueAck.Outcome.RESTING, ack.outcome(), ack.toString());
        assertTrue(ack.fills().isEmpty());
        VenueOrderState resting = query(id);
        assertTrue(resting.working());
        assertEquals(ack.venueOrderId(), resting.venueOrderId(), "known by the id its submit was answered with");
        assertSame(quantity(), resting.quantity(), "its quantity");
        assertSame(price, resting.price(), "its price");
        assertTrue(listedOpen(id), "among the open orders, under the id the venue has");

        BigDecimal twice = quantity().add(quantity());
        BigDecimal lower = belowBid(8);
        ReplaceAck replaced = venue().replace(symbol(), id, twice, lower, quantity(), BigDecimal.ZERO).await().atMost(WAIT);
        assertEquals(ReplaceAck.Outcome.REPLACED, replaced.outcome(), replaced.toString());
        assertTrue(replaced.resting() && replaced.fills().isEmpty());
        VenueOrderState after = query(id);
        assertTrue(after.working());
        assertSame(twice, after.quantity(), "the new quantity");
        assertSame(lower, after.price(), "the new price");

        CancelAck canceled = venue().cancel(symbol(), id).await().atMost(WAIT);
        assertEquals(CancelAck.Outcome.CANCELED, canceled.outcome());
        assertSame(twice, canceled.canceledQuantity(), "all of it was open");
        assertFalse(query(id).working());
        assertFalse(listedOpen(id));
        assertEquals(CancelAck.Outcome.UNKNOWN, venue().cancel(symbol(), id).await().atMost(WAIT).outcome(), "nothing left to cancel");
    }

    @Test
    void aPostOnlyOrderThatWouldTakeIsRefusedAndLeavesNothing() {
        String id = clientId();
        VenueAck ack = venue().submit(limit(id, Side.BUY, quantity(), top().ask(), true)).await().atMost(WAIT);
        assertEquals(VenueAck.Outcome.REJECTED, ack.outcome(), ack.toString());
        assertEquals(RejectReason.POST_ONLY_WOULD_TAKE, ack.rejectReason());
        assertTrue(ack.fills().isEmpty());
        Optional<VenueOrderState> state = venue().query(symbol(), id).await().atMost(WAIT);
        assertTrue(state.isEmpty() || !state.get().working() && state.get().trades().isEmpty(), state.toString());
        assertFalse(listedOpen(id));
    }

    /**
     * A post-only order moved to a price that would take never takes: the venue refuses the replace and the order works
     * on as it was (the paper venue), or the order ends (Binance's cancel/replace cancels it, then refuses the new one).
     */
    @Test
    void aPostOnlyOrderReplacedToAPriceThatWouldTakeNeverTakes() {
        String id = clientId();
        BigDecimal price = belowBid(5);
        assertEquals(VenueAck.Outcome.RESTING, venue().submit(limit(id, Side.BUY, quantity(), price, true)).await().atMost(WAIT).outcome());
        ReplaceAck ack = venue().replace(symbol(), id, quantity(), top().ask(), quantity(), BigDecimal.ZERO).await().atMost(WAIT);
        assertTrue(ack.fills().isEmpty(), "never a taker fill: " + ack);
        VenueOrderState state = query(id);
        assertTrue(state.trades().isEmpty());
        switch (ack.outcome()) {
            case REJECTED -> {
                assertEquals(RejectReason.POST_ONLY_WOULD_TAKE, ack.rejectReason());
                assertTrue(state.working(), "refused: it works on as it was");
                assertSame(price, state.price(), "at its old price");
                venue().cancel(symbol(), id).await().atMost(WAIT);
            }
            case UNKNOWN -> {
                assertFalse(state.working(), "ended: nothing of it works any more");
                assertFalse(listedOpen(id));
            }
            case REPLACED -> throw new AssertionError("a post-only order was replaced to a price that takes: " + ack);
        }
    }

    @Test
    void aMarketableLimitOrderTakesAtItsPriceOrBetter() {
        String id = clientId();
        TopOfBook before = top();
        BigDecimal limit = before.ask().add(rules().tickSize().multiply(BigDecimal.valueOf(3)));
        VenueAck ack = venue().submit(limit(id, Side.BUY, quantity(), limit, false)).await().atMost(WAIT);
        assertTrue(ack.outcome() == VenueAck.Outcome.DONE, ack.toString());
        assertSame(quantity(), sum(ack.fills()), "filled at once");
        for (VenueFill f : ack.fills()) {
            assertTrue(f.price().compareTo(limit) <= 0, "never above its limit: " + f.price());
            assertEquals(Liquidity.TAKER, f.liquidity());
        }
    }

    @Test
    void aRestingOrderTheMarketFillsIsReportedToTheListenerEachTradeOnceAsMaker() {
        String id = clientId();
        BigDecimal bid = top().bid();
        VenueAck ack = venue().submit(limit(id, Side.BUY, quantity(), bid, true)).await().atMost(WAIT);
        assertEquals(VenueAck.Outcome.RESTING, ack.outcome(), ack.toString());
        fillAtTouch(id, Side.BUY, bid, quantity());
        await().atMost(WAIT).until(() -> REPORTED.stream().anyMatch(r -> r.clientOrderId().equals(id) && r.done()));
        List<Reported> mine = REPORTED.stream().filter(r -> r.clientOrderId().equals(id)).toList();
        assertSame(quantity(), sum(mine.stream().map(Reported::fill).toList()), "reported fills add up to the order");
        assertEquals(mine.size(), mine.stream().map(r -> r.fill().tradeId()).distinct().count(), "each trade reported once: " + mine);
        assertEquals(1, mine.stream().filter(Reported::done).count(), "done once, with the last fill");
        assertTrue(mine.get(mine.size() - 1).done());
        for (Reported r : mine) {
            assertEquals(Liquidity.MAKER, r.fill().liquidity());
            assertTrue(r.fill().price().compareTo(bid) <= 0, "at its price or better: " + r.fill().price());
        }
        VenueOrderState state = query(id);
        assertFalse(state.working());
        assertSame(quantity(), state.filledQuantity(), "the venue has it filled");
        assertFalse(listedOpen(id));
        assertEquals(CancelAck.Outcome.UNKNOWN, venue().cancel(symbol(), id).await().atMost(WAIT).outcome(), "filled: nothing to cancel");
    }

    @Test
    void anOrderItNeverGotIsUnknownToIt() {
        String id = clientId();
        assertTrue(venue().query(symbol(), id).await().atMost(WAIT).isEmpty());
        assertEquals(CancelAck.Outcome.UNKNOWN, venue().cancel(symbol(), id).await().atMost(WAIT).outcome());
        assertEquals(ReplaceAck.Outcome.UNKNOWN, venue().replace(symbol(), id, quantity(), belowBid(5), quantity(), BigDecimal.ZERO)
                .await().atMost(WAIT).outcome());
    }
}
