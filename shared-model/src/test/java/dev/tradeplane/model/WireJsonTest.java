package dev.tradeplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WireJsonTest {

    private final ObjectMapper mapper = WireJson.newMapper();

    @Test
    void signalReadsSnakeCaseAndDecimalStringsExactly() throws Exception {
        Signal s = mapper.readValue("""
                {"signal_id":"s-1","symbol":"BTCUSDT.PAPER","side":"buy","quantity":"0.10000000000000000001"}
                """, Signal.class);
        assertEquals("s-1", s.signalId());
        assertEquals(Side.BUY, s.side());
        assertEquals(new BigDecimal("0.10000000000000000001"), s.quantity());
    }

    @Test
    void decimalsAreWrittenAsPlainStrings() throws Exception {
        Fill fill = new Fill("f", "o", "BTCUSDT.PAPER", "PAPER", Side.SELL, new BigDecimal("1E-8"),
                new BigDecimal("65000.10"), BigDecimal.ZERO, "USDT", Liquidity.TAKER, "m", Instant.parse("2026-01-02T03:04:05Z"));
        JsonNode json = mapper.readTree(mapper.writeValueAsString(fill));
        assertTrue(json.get("quantity").isTextual());
        assertEquals("0.00000001", json.get("quantity").asText());
        assertEquals("65000.1", json.get("price").asText());
        assertEquals("0", json.get("fee").asText());
        assertEquals("2026-01-02T03:04:05Z", json.get("executed_at").asText());
        assertEquals("o", json.get("order_id").asText());
    }

    @Test
    void unknownFieldsInRequestsAreRefused() {
        assertThrows(JsonProcessingException.class, () -> mapper.readValue(
                "{\"signal_id\":\"s\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"qty\":\"1\"}", Signal.class));
    }

    @Test
    void unknownFieldsInAnswersAreTolerated() throws Exception {
        Order order = mapper.readValue("{\"id\":\"o-1\",\"status\":\"FILLED\",\"added_later\":1}", Order.class);
        assertEquals(OrderStatus.FILLED, order.status());
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreRefused() {
        assertThrows(JsonProcessingException.class, () -> mapper.readValue(
                "{\"signal_id\":\"s\",\"quantity\":\"1\",\"quantity\":\"1000\"}", Signal.class));
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"signal_id\":\"s\"} x", Signal.class));
    }

    @Test
    void nanAndHugeNumbersAreRefusedWhileParsing() {
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"quantity\":\"NaN\"}", Signal.class));
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"quantity\":NaN}", Signal.class));
        String longNumber = "1" + "0".repeat(WireJson.MAX_NUMBER_LENGTH + 1);
        assertThrows(JsonProcessingException.class, () -> mapper.readValue("{\"quantity\":" + longNumber + "}", Signal.class));
    }

    @Test
    void decimalRangeMatchesTheDatabaseColumn() {
        assertTrue(Decimals.fits(new BigDecimal("99999999999999999999.000000000000000001")));
        assertFalse(Decimals.fits(new BigDecimal("100000000000000000000")));
        assertFalse(Decimals.fits(new BigDecimal("0.0000000000000000001")));
        assertTrue(Decimals.fits(new BigDecimal("1.50000000000000000000000")));
        assertFalse(Decimals.fits(new BigDecimal("1e999999999")));
        assertFalse(Decimals.fits(new BigDecimal("1e-999999999")));
    }
}
