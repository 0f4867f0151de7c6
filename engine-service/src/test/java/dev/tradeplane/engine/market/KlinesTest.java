package dev.tradeplane.engine.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.engine.venue.LastTrade;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.Kline;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One-minute klines from trades: a new minute closes the last, a late trade is left out, 240 minutes are kept. */
class KlinesTest {

    private static final InstrumentId ID = new InstrumentId("BTCUSDT", "PAPER");
    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");

    private static void trade(Klines k, long secondsAfter, String price, String quantity) {
        k.onTrade("PAPER", "BTCUSDT", new LastTrade(new BigDecimal(price), new BigDecimal(quantity), Side.BUY, T.plusSeconds(secondsAfter)));
    }

    @Test
    void aNewMinuteClosesTheKlineOfTheLastAndALateTradeIsLeftOut() {
        Klines k = new Klines(null);
        trade(k, 5, "100", "1");
        trade(k, 30, "103", "2");
        trade(k, 59, "99", "1");
        trade(k, 61, "101", "0.5");
        trade(k, 50, "500", "9"); // a trade of the minute already closed, arriving late
        List<Kline> klines = k.last(ID, 60);
        assertEquals(2, klines.size());
        Kline first = klines.get(0);
        assertEquals(T, first.start());
        assertEquals(0, new BigDecimal("100").compareTo(first.open()));
        assertEquals(0, new BigDecimal("103").compareTo(first.high()));
        assertEquals(0, new BigDecimal("99").compareTo(first.low()));
        assertEquals(0, new BigDecimal("99").compareTo(first.close()));
        assertEquals(0, new BigDecimal("4").compareTo(first.volume()));
        assertEquals(0, new BigDecimal("405").compareTo(first.quoteVolume()), "100 + 206 + 99");
        assertEquals(3, first.trades());
        Kline current = klines.get(1);
        assertEquals(T.plusSeconds(60), current.start());
        assertEquals(1, current.trades(), "the late trade is in neither");
        assertEquals(0, new BigDecimal("101").compareTo(current.close()));
    }

    @Test
    void theLast240MinutesAreKeptAndLimitTakesTheNewest() {
        Klines k = new Klines(null);
        for (int minute = 0; minute < 300; minute++) {
            trade(k, minute * 60L, Integer.toString(1000 + minute), "1");
        }
        List<Kline> all = k.last(ID, 1000);
        assertEquals(Klines.KEPT, all.size());
        assertEquals(T.plusSeconds(299 * 60L), all.get(all.size() - 1).start(), "the current minute last");
        assertEquals(T.plusSeconds((300 - Klines.KEPT) * 60L), all.get(0).start());
        List<Kline> three = k.last(ID, 3);
        assertEquals(List.of(all.get(237), all.get(238), all.get(239)), three);
    }
}
