package dev.tradeplane.engine.venue.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.engine.venue.CancelAck;
import dev.tradeplane.engine.venue.ReplaceAck;
import dev.tradeplane.engine.venue.TopOfBook;
import dev.tradeplane.engine.venue.VenueAck;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.engine.venue.VenueOrder;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.RejectReason;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.TimeInForce;
import dev.tradeplane.model.WireJson;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaperInstrumentTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static PaperInstrument book(TestSpec spec, long seed) {
        return new PaperInstrument("BTCUSDT", "s", spec, new SyntheticSource(spec, seed, 0.25), BigDecimal.TEN, BigDecimal.TWO);
    }

    private static VenueOrder order(String id, Side side, OrderType type, TimeInForce tif, String quantity, BigDecimal price, boolean postOnly) {
        return new VenueOrder(id, "BTCUSDT", side, type, tif, new BigDecimal(quantity), price, postOnly);
    }

    private static BigDecimal total(List<VenueFill> fills) {
        return fills.stream().map(VenueFill::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aSmallMarketBuyFillsAtTheBestAskAndPaysTheTakerFee() {
        PaperInstrument book = book(TestSpec.still(), 1);
        TopOfBook top = book.top(NOW);
        VenueAck ack = book.submit(order("c1", Side.BUY, OrderType.MARKET, TimeInForce.IOC, "0.01", null, false), NOW);
        assertEquals(VenueAck.Outcome.DONE, ack.outcome());
        VenueFill fill = ack.fills().get(0);
        assertEquals(0, top.ask().compareTo(fill.price()));
        assertEquals(Liquidity.TAKER, fill.liquidity());
        BigDecimal fee = top.ask().multiply(new BigDecimal("0.01")).multiply(new BigDecimal("0.001")).setScale(8, RoundingMode.UP);
        assertEquals(0, fee.compareTo(fill.fee()));
    }

    @Test
    void aLargeMarketOrderWalksTheBookPayingSlippageAndFokFillsAllOrNothing() {
        PaperInstrument book = book(TestSpec.still(), 2);
        VenueAck walk = book.submit(order("c1", Side.BUY, OrderType.MARKET, TimeInForce.IOC, "3", null, false), NOW);
        assertTrue(walk.fills().size() > 1);
        for (int i = 1; i < walk.fills().size(); i++) {
            assertTrue(walk.fills().get(i).price().compareTo(walk.fills().get(i - 1).price()) >= 0, "each level is worse");
        }
        assertEquals(0, new BigDecimal("3").compareTo(total(walk.fills())));
        VenueAck fok = book.submit(order("c2", Side.SELL, OrderType.MARKET, TimeInForce.FOK, "1000", null, false), NOW);
        assertTrue(fok.fills().isEmpty());
        VenueAck ioc = book.submit(order("c3", Side.SELL, OrderType.MARKET, TimeInForce.IOC, "1000", null, false), NOW);
        assertTrue(total(ioc.fills()).signum() > 0 && total(ioc.fills()).compareTo(new BigDecimal("1000")) < 0);
        VenueAck empty = book.submit(order("c4", Side.SELL, OrderType.MARKET, TimeInForce.IOC, "1", null, false), NOW);
        assertEquals(RejectReason.NO_LIQUIDITY, empty.rejectReason());
    }

    @Test
    void postOnlyIsRejectedRatherThanTaking() {
        PaperInstrument book = book(TestSpec.still(), 3);
        BigDecimal ask = book.top(NOW).ask();
        VenueAck taking = book.submit(order("c1", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.01", ask, true), NOW);
        assertEquals(VenueAck.Outcome.REJECTED, taking.outcome());
        assertEquals(RejectReason.POST_ONLY_WOULD_TAKE, taking.rejectReason());
        VenueAck resting = book.submit(order("c2", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.01", book.top(NOW).bid(), true), NOW);
        assertEquals(VenueAck.Outcome.RESTING, resting.outcome());
    }

    @Test
    void aRestingOrderJoinsTheBackOfItsLevelAndFillsOnlyAfterTheQueueAheadTrades() {
        PaperInstrument book = book(TestSpec.moving("0", "40"), 4);
        BigDecimal bid = book.top(NOW).bid();
        VenueAck ack = book.submit(order("mine", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.02", bid, false), NOW);
        assertEquals(VenueAck.Outcome.RESTING, ack.outcome());
        long ahead = book.lotsAhead("mine");
        assertTrue(ahead > 0, "market orders were there first");
        List<PaperInstrument.RestingFill> fills = new ArrayList<>();
        for (int i = 0; i < 2_000 && fills.stream().noneMatch(PaperInstrument.RestingFill::done); i++) {
            long before = book.lotsAhead("mine");
            List<PaperInstrument.RestingFill> step = book.step(NOW);
            if (!step.isEmpty() && before > 0) {
                // Whatever filled us, the queue ahead of us was gone by then.
                assertTrue(book.lotsAhead("mine") <= 0);
            }
            fills.addAll(step);
        }
        assertTrue(fills.stream().anyMatch(PaperInstrument.RestingFill::done), "the order filled in time");
        BigDecimal filled = fills.stream().map(f -> f.fill().quantity()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("0.02").compareTo(filled));
        assertTrue(fills.stream().allMatch(f -> f.fill().price().compareTo(bid) == 0 && f.fill().liquidity() == Liquidity.MAKER));
    }

    @Test
    void aMarketMoveTradesThroughRestingOrdersAtTheirOwnPrice() {
        PaperInstrument book = book(TestSpec.moving("30", "0"), 5);
        BigDecimal limit = book.top(NOW).bid().subtract(new BigDecimal("20.00"));
        book.submit(order("mine", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.1", limit, false), NOW);
        List<PaperInstrument.RestingFill> fills = new ArrayList<>();
        for (int i = 0; i < 5_000 && fills.stream().noneMatch(PaperInstrument.RestingFill::done); i++) {
            fills.addAll(book.step(NOW));
        }
        assertTrue(fills.stream().anyMatch(PaperInstrument.RestingFill::done));
        assertTrue(fills.stream().allMatch(f -> f.fill().price().compareTo(limit) == 0));
    }

    @Test
    void aSmallerSizeKeepsTheQueuePlaceAPriceChangeOrBiggerSizeLosesIt() {
        PaperInstrument book = book(TestSpec.still(), 6);
        BigDecimal bid = book.top(NOW).bid();
        book.submit(order("a", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.05", bid, false), NOW);
        book.submit(order("b", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.05", bid, false), NOW);
        long aheadOfA = book.lotsAhead("a");
        assertEquals(ReplaceAck.Outcome.REPLACED, book.replace("a", new BigDecimal("0.03"), bid, NOW).outcome());
        assertEquals(aheadOfA, book.lotsAhead("a"), "smaller keeps the place");
        assertEquals(ReplaceAck.Outcome.REPLACED, book.replace("a", new BigDecimal("0.04"), bid, NOW).outcome());
        assertTrue(book.lotsAhead("a") > book.lotsAhead("b"), "bigger goes to the back");
        BigDecimal lower = book.depth(Side.BUY, 2).get(1).priceTicks() == 0 ? bid
                : new BigDecimal(book.depth(Side.BUY, 2).get(1).priceTicks()).movePointLeft(2);
        assertEquals(ReplaceAck.Outcome.REPLACED, book.replace("b", new BigDecimal("0.05"), lower, NOW).outcome());
        assertTrue(book.lotsAhead("b") > 0, "re-queued behind the market orders already at the new price");
        ReplaceAck crossing = book.replace("b", new BigDecimal("0.05"), book.top(NOW).ask(), NOW);
        assertTrue(!crossing.fills().isEmpty(), "a new price through the market trades at once");
        assertEquals(CancelAck.Outcome.CANCELED, book.cancel("a", NOW).outcome());
        assertEquals(CancelAck.Outcome.UNKNOWN, book.cancel("a", NOW).outcome());
        assertEquals(ReplaceAck.Outcome.UNKNOWN, book.replace("a", BigDecimal.ONE, bid, NOW).outcome());
    }

    @Test
    void theSameSeedGivesTheSameMarket() {
        TestSpec spec = TestSpec.moving("5", "10");
        PaperInstrument a = book(spec, 99);
        PaperInstrument b = book(spec, 99);
        for (int i = 0; i < 200; i++) {
            a.step(NOW);
            b.step(NOW);
        }
        assertEquals(a.top(NOW), b.top(NOW));
    }

    @Test
    void aRecordingReplaysIntoTheSameBookAndTradesThroughOwnOrders() {
        TestSpec spec = TestSpec.still();
        List<ReplaySource.Recorded> events = ReplaySource.read("classpath:paper/btcusdt-sample.jsonl", spec, WireJson.newMapper());
        assertTrue(events.size() > 100);
        PaperInstrument book = new PaperInstrument("BTCUSDT", "s", spec,
                new ReplaySource(events, Duration.ofMillis(250), BigDecimal.ONE, true), BigDecimal.TEN, BigDecimal.TWO);
        TopOfBook top = book.top(NOW);
        assertTrue(top.ask().compareTo(top.bid()) > 0);
        BigDecimal bid = top.bid();
        book.submit(order("mine", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "0.001", bid, false), NOW);
        List<PaperInstrument.RestingFill> fills = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            fills.addAll(book.step(NOW));
        }
        BigDecimal filled = fills.stream().map(f -> f.fill().quantity()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("0.001").compareTo(filled), "the recorded market traded through the order");
        assertTrue(fills.stream().allMatch(f -> f.fill().price().compareTo(bid) == 0 && f.fill().liquidity() == Liquidity.MAKER));
    }
}
