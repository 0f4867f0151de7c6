package dev.tradeplane.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tradeplane.common.idempotency.RequestHash;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.Signal;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RequestHashTest {

    @Test
    void theSameRequestWrittenDifferentlyHasTheSameHash() {
        Signal a = new Signal("s", "BTCUSDT.PAPER", Side.BUY, new BigDecimal("0.010"), null, null, OrderType.MARKET, null, null, null, null);
        Signal b = new Signal("s", "BTCUSDT.PAPER", Side.BUY, new BigDecimal("1E-2"), null, null, OrderType.MARKET, null, null, null, null);
        assertEquals(RequestHash.of(a), RequestHash.of(b));
    }

    @Test
    void aDifferentRequestHasADifferentHash() {
        Signal a = new Signal("s", "BTCUSDT.PAPER", Side.BUY, new BigDecimal("0.01"), null, null, OrderType.MARKET, null, null, null, null);
        Signal b = new Signal("s", "BTCUSDT.PAPER", Side.BUY, new BigDecimal("0.02"), null, null, OrderType.MARKET, null, null, null, null);
        assertNotEquals(RequestHash.of(a), RequestHash.of(b));
        assertEquals(64, RequestHash.of(a).length());
    }
}
