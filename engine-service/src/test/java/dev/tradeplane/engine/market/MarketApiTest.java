package dev.tradeplane.engine.market;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static dev.tradeplane.engine.support.Api.uniqueModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /market/{symbol}: depth within a band of the mid, the last trade printed, the age of the touch. */
@QuarkusTest
class MarketApiTest {

    @Test
    void theDepthWithinTheBandIsTheSumOfTheLevelsInsideIt() {
        JsonPath m = authed().queryParam("levels", 50).queryParam("depth_bps", "4").get("/market/BTCUSDT.PAPER").then().statusCode(200)
                .extract().jsonPath();
        BigDecimal mid = new BigDecimal(m.getString("mid"));
        BigDecimal bid = new BigDecimal(m.getString("bid"));
        BigDecimal ask = new BigDecimal(m.getString("ask"));
        assertEquals(0, bid.add(ask).compareTo(mid.multiply(BigDecimal.TWO)), "the mid is halfway");
        assertEquals(0, ask.subtract(bid).multiply(BigDecimal.valueOf(10_000)).divide(mid, 4, RoundingMode.HALF_EVEN)
                .compareTo(new BigDecimal(m.getString("spread_bps"))), "the spread in basis points of the mid");
        BigDecimal band = mid.multiply(new BigDecimal("4")).divide(BigDecimal.valueOf(10_000), 12, RoundingMode.HALF_EVEN);
        List<Map<String, String>> bids = m.getList("bids");
        List<Map<String, String>> asks = m.getList("asks");
        assertTrue(new BigDecimal(bids.get(bids.size() - 1).get("price")).compareTo(mid.subtract(band)) < 0, "50 levels reach past the band");
        assertTrue(new BigDecimal(asks.get(asks.size() - 1).get("price")).compareTo(mid.add(band)) > 0, "on both sides");
        assertEquals(0, sum(bids, p -> p.compareTo(mid.subtract(band)) >= 0).compareTo(new BigDecimal(m.getString("bid_depth"))));
        assertEquals(0, sum(asks, p -> p.compareTo(mid.add(band)) <= 0).compareTo(new BigDecimal(m.getString("ask_depth"))));
        assertTrue(new BigDecimal(m.getString("bid_depth")).signum() > 0 && new BigDecimal(m.getString("ask_depth")).signum() > 0);
        assertEquals("4", m.getString("depth_bps"));
        assertTrue(m.getLong("age_ms") >= 0);

        JsonPath wide = authed().queryParam("levels", 1).queryParam("depth_bps", "40").get("/market/BTCUSDT.PAPER").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, wide.getList("bids").size(), "levels limits what is listed, not the depth");
        assertTrue(new BigDecimal(wide.getString("bid_depth")).compareTo(new BigDecimal(m.getString("bid_depth"))) >= 0);
    }

    @Test
    void aMarketOrderIsTheLastTradeWithItsAggressorSide() {
        JsonPath order = authed().header("Idempotency-Key", key()).body("""
                {"symbol":"ETHUSDT.PAPER","side":"SELL","type":"MARKET","quantity":"0.05","model":"%s"}""".formatted(uniqueModel()))
                .post("/orders").then().statusCode(201).extract().jsonPath();
        List<Map<String, String>> fills = authed().get("/orders/" + order.getString("id")).then().statusCode(200).extract().jsonPath().getList("fills");
        Map<String, String> lastFill = fills.get(fills.size() - 1);
        JsonPath m = authed().get("/market/ETHUSDT.PAPER").then().statusCode(200).extract().jsonPath();
        assertNotNull(m.get("last_trade"), m.prettify());
        assertEquals("SELL", m.getString("last_trade.side"));
        assertEquals(0, new BigDecimal(lastFill.get("price")).compareTo(new BigDecimal(m.getString("last_trade.price"))));
        assertEquals(0, new BigDecimal(lastFill.get("quantity")).compareTo(new BigDecimal(m.getString("last_trade.quantity"))));
    }

    @Test
    void tradesMakeOneMinuteKlinesWhoseCloseIsTheLastTrade() {
        authed().header("Idempotency-Key", key()).body("""
                {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.01","model":"%s"}""".formatted(uniqueModel()))
                .post("/orders").then().statusCode(201);
        List<Map<String, Object>> klines = authed().queryParam("limit", 5).get("/market/BTCUSDT.PAPER/klines").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertTrue(!klines.isEmpty() && klines.size() <= 5, klines.toString());
        Map<String, Object> last = klines.get(klines.size() - 1);
        JsonPath m = authed().get("/market/BTCUSDT.PAPER").then().extract().jsonPath();
        assertEquals(0, new BigDecimal(m.getString("last_trade.price")).compareTo(new BigDecimal(String.valueOf(last.get("close")))));
        BigDecimal high = new BigDecimal(String.valueOf(last.get("high")));
        BigDecimal low = new BigDecimal(String.valueOf(last.get("low")));
        assertTrue(high.compareTo(low) >= 0 && high.compareTo(new BigDecimal(String.valueOf(last.get("close")))) >= 0);
        assertTrue(new BigDecimal(String.valueOf(last.get("volume"))).compareTo(new BigDecimal("0.01")) >= 0, last.toString());
        assertTrue((Integer) last.get("trades") >= 1);
        authed().queryParam("limit", 0).get("/market/BTCUSDT.PAPER/klines").then().statusCode(400);
        authed().get("/market/NOPE.PAPER/klines").then().statusCode(404);
    }

    @Test
    void aBadBandIsRefused() {
        // 1e-999999999 is above 0 and below 1000, but no band of the mid can be computed from it.
        for (String bad : List.of("abc", "0", "-1", "5000", "1e-999999999", "0.00001")) {
            authed().queryParam("depth_bps", bad).get("/market/BTCUSDT.PAPER").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("depth_bps"));
        }
    }

    @Test
    void badLevelsLimitsAndSymbolsAreProblemsNamingWhatIsWrong() {
        for (String bad : List.of("abc", "0", "51", "1.5", "99999999999")) {
            authed().queryParam("levels", bad).get("/market/BTCUSDT.PAPER").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("levels"));
            authed().queryParam("limit", bad.equals("51") ? "241" : bad).get("/market/BTCUSDT.PAPER/klines").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
        }
        authed().queryParam("limit", "abc").get("/orders").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
        authed().queryParam("limit", "abc").get("/fills").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
        authed().get("/market/NOPE.PAPER").then().statusCode(404).contentType("application/problem+json");
        authed().get("/market/not-a-symbol").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("symbol"));
        for (String path : List.of("/market/%20", "/market/%20/klines")) {
            authed().urlEncodingEnabled(false).get(path).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("symbol"));
        }
    }

    @Test
    void thePaperBookIsAlwaysInStepAndNumbersNoUpdates() {
        JsonPath m = authed().get("/market/BTCUSDT.PAPER").then().statusCode(200).extract().jsonPath();
        assertTrue(m.getBoolean("book_synced"));
        assertTrue(!m.getMap("$").containsKey("sequence"), "the paper venue numbers no updates: " + m.prettify());
    }

    private static BigDecimal sum(List<Map<String, String>> levels, java.util.function.Predicate<BigDecimal> inside) {
        return levels.stream().filter(l -> inside.test(new BigDecimal(l.get("price")))).map(l -> new BigDecimal(l.get("quantity")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
