package dev.tradeplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstrumentIdTest {

    @Test
    void parsesSymbolDotVenueCaseInsensitively() {
        InstrumentId id = InstrumentId.parse("btcusdt.paper").orElseThrow();
        assertEquals("BTCUSDT", id.symbol());
        assertEquals("PAPER", id.venue());
        assertEquals("BTCUSDT.PAPER", id.toString());
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {null, "", "BTCUSDT", ".PAPER", "BTCUSDT.", "A.B.C", "BTC-USDT.PAPER", "BTC USDT.PAPER",
                "X".repeat(33) + ".PAPER"}) {
            assertTrue(InstrumentId.parse(bad).isEmpty(), () -> "should refuse " + bad);
        }
    }
}
