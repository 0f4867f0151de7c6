package dev.tradeplane.engine.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopOfBookTest {

    /** Binance's prices reach the book with their zeros stripped: 2000.00 is 2E+3, and the mid must not round to it. */
    @ParameterizedTest
    @CsvSource({
            "1900, 2E+3, 1950",
            "1999.5, 2E+3, 1999.75",
            "64999.99, 6.5E+4, 64999.995",
            "64999.99, 65000.01, 65000",
            "0.00001, 0.00002, 0.000015",
            "3, 4, 3.5"})
    void theMidIsExactlyHalfwayWhateverTheScaleOfThePrices(String bid, String ask, String mid) {
        TopOfBook top = new TopOfBook(new BigDecimal(bid), new BigDecimal(ask), Instant.EPOCH);
        assertEquals(0, new BigDecimal(mid).compareTo(top.mid()), () -> "mid of " + bid + " / " + ask + " was " + top.mid());
    }
}
