package dev.tradeplane.engine.venue.paper.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.model.Side;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderBookTest {

    private record Fill(long maker, long lots, long price) {}

    private final OrderBook book = new OrderBook();
    private final List<Fill> fills = new ArrayList<>();

    private long match(Side side, long limit, long lots, boolean skipOwn) {
        return book.match(side, limit, lots, skipOwn, (maker, taken, price) -> fills.add(new Fill(maker.id(), taken, price)));
    }

    @Test
    void bestPriceFirstThenOldestFirst() {
        book.add(1, Side.SELL, 101, 5, false);
        book.add(2, Side.SELL, 100, 3, false);
        book.add(3, Side.SELL, 100, 4, false);
        book.add(4, Side.SELL, 102, 9, false);
        assertEquals(100, book.bestAsk());
        long left = match(Side.BUY, 101, 10, false);
        assertEquals(0, left);
        assertEquals(List.of(new Fill(2, 3, 100), new Fill(3, 4, 100), new Fill(1, 3, 101)), fills);
        assertEquals(101, book.bestAsk());
        assertEquals(2, book.lotsAt(Side.SELL, 101));
        assertNull(book.order(2));
    }

    @Test
    void aLimitStopsAtItsPriceAndAMarketOrderWalksEverything() {
        book.add(1, Side.BUY, 99, 5, false);
        book.add(2, Side.BUY, 98, 5, false);
        assertEquals(5, match(Side.SELL, 99, 10, false));
        assertEquals(98, book.bestBid());
        assertEquals(95, match(Side.SELL, OrderBook.NONE, 100, false));
        assertEquals(OrderBook.NONE, book.bestBid());
    }

    @Test
    void cancelIsImmediateAndALevelWithNothingLeftDisappears() {
        book.add(1, Side.BUY, 99, 5, false);
        book.add(2, Side.BUY, 99, 7, false);
        assertEquals(5, book.cancel(1));
        assertEquals(0, book.cancel(1));
        assertEquals(7, book.lotsAt(Side.BUY, 99));
        assertEquals(0, book.lotsAhead(2));
        assertEquals(7, book.cancel(2));
        assertEquals(OrderBook.NONE, book.bestBid());
        assertEquals(0, book.size());
    }

    @Test
    void reducingKeepsTheQueuePlace() {
        book.add(1, Side.SELL, 100, 5, true);
        book.add(2, Side.SELL, 100, 5, false);
        assertTrue(book.reduce(1, 2));
        assertEquals(0, book.lotsAhead(1));
        assertEquals(2, book.lotsAhead(2));
        match(Side.BUY, 100, 3, false);
        assertEquals(List.of(new Fill(1, 2, 100), new Fill(2, 1, 100)), fills);
    }

    @Test
    void ownOrdersAreSkippedWhenOwnOrdersTakeButTradeWithTheMarket() {
        book.add(1, Side.SELL, 100, 5, true);
        book.add(2, Side.SELL, 100, 5, false);
        assertEquals(5, book.available(Side.BUY, 100, true));
        assertEquals(10, book.available(Side.BUY, 100, false));
        assertEquals(0, match(Side.BUY, 100, 5, true));
        assertEquals(List.of(new Fill(2, 5, 100)), fills);
        assertEquals(5, book.order(1).lots());
        fills.clear();
        match(Side.BUY, 100, 5, false);
        assertEquals(List.of(new Fill(1, 5, 100)), fills);
    }

    @Test
    void marketOrdersAreTrimmedNewestFirstAndOwnOrdersAreLeftAlone() {
        book.add(1, Side.BUY, 99, 5, false);
        book.add(2, Side.BUY, 99, 3, true);
        book.add(3, Side.BUY, 99, 4, false);
        book.trimMarketOrders(Side.BUY, 99, 6);
        assertEquals(5, book.order(1).lots());
        assertEquals(1, book.order(3).lots());
        assertEquals(3, book.order(2).lots());
        book.add(4, Side.BUY, 90, 4, false);
        book.add(5, Side.BUY, 90, 4, true);
        book.cancelMarketOrdersExcept(Side.BUY, java.util.Set.of(99L));
        assertNull(book.order(4));
        assertEquals(4, book.order(5).lots());
        assertFalse(book.wouldTake(Side.SELL, 100));
        assertTrue(book.wouldTake(Side.SELL, 99));
    }
}
