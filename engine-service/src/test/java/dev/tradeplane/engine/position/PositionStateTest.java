package dev.tradeplane.engine.position;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PositionStateTest {

    @Test
    void buyingMovesTheAveragePriceAndFeesReduceRealizedPnl() {
        PositionState p = PositionState.FLAT
                .apply(Side.BUY, dec("1"), dec("100"), dec("0.1"))
                .apply(Side.BUY, dec("3"), dec("200"), dec("0.3"));
        assertEq("4", p.quantity());
        assertEq("175", p.averagePrice());
        assertEq("-0.4", p.realizedPnl());
        assertEq("0.4", p.fees());
        assertEq("100", p.unrealizedAt(dec("200")));
    }

    @Test
    void reducingRealizesAgainstTheAverageAndKeepsIt() {
        PositionState p = PositionState.FLAT.apply(Side.BUY, dec("2"), dec("100"), BigDecimal.ZERO)
                .apply(Side.SELL, dec("1"), dec("130"), dec("1"));
        assertEq("1", p.quantity());
        assertEq("100", p.averagePrice());
        assertEq("29", p.realizedPnl());
    }

    @Test
    void crossingZeroOpensTheRestAtTheFillPrice() {
        PositionState p = PositionState.FLAT.apply(Side.BUY, dec("1"), dec("100"), BigDecimal.ZERO)
                .apply(Side.SELL, dec("3"), dec("90"), BigDecimal.ZERO);
        assertEq("-2", p.quantity());
        assertEq("90", p.averagePrice());
        assertEq("-10", p.realizedPnl());
        // A short gains when the price falls.
        assertEq("20", p.unrealizedAt(dec("80")));
        PositionState closed = p.apply(Side.BUY, dec("2"), dec("80"), BigDecimal.ZERO);
        assertEq("0", closed.quantity());
        assertEq("10", closed.realizedPnl());
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    private static void assertEq(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }
}
