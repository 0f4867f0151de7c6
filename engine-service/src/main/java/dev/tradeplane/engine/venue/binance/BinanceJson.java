package dev.tradeplane.engine.venue.binance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tradeplane.engine.market.book.L2Book;
import dev.tradeplane.engine.venue.VenueFill;
import dev.tradeplane.model.Liquidity;
import dev.tradeplane.model.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads Binance's JSON: decimals sent as strings, price levels, fills, order states. */
final class BinanceJson {

    private BinanceJson() {
    }

    static BigDecimal decimal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? BigDecimal.ZERO : new BigDecimal(v.asText()).stripTrailingZeros();
    }

    static List<L2Book.Change> levels(JsonNode array) {
        List<L2Book.Change> out = new ArrayList<>(array.size());
        for (JsonNode level : array) {
            out.add(new L2Book.Change(new BigDecimal(level.get(0).asText()).stripTrailingZeros(),
                    new BigDecimal(level.get(1).asText()).stripTrailingZeros()));
        }
        return out;
    }

    static Side side(JsonNode node, String field) {
        return Side.valueOf(node.path(field).asText());
    }

    /** Our id of a Binance trade: trade ids are unique per symbol only. */
    static String tradeId(String symbol, long id) {
        return symbol + "-" + id;
    }

    /** The fills of a FULL order answer: made at once, so taken from the book (taker). */
    static List<VenueFill> ackFills(String symbol, JsonNode order, Instant at) {
        List<VenueFill> out = new ArrayList<>();
        for (JsonNode f : order.path("fills")) {
            out.add(new VenueFill(tradeId(symbol, f.path("tradeId").asLong()), decimal(f, "qty"), decimal(f, "price"),
                    decimal(f, "commission"), f.path("commissionAsset").asText(), Liquidity.TAKER, at));
        }
        return out;
    }

    /** A trade of {@code GET /api/v3/myTrades}. */
    static VenueFill myTrade(JsonNode t) {
        return new VenueFill(tradeId(t.path("symbol").asText(), t.path("id").asLong()), decimal(t, "qty"), decimal(t, "price"),
                decimal(t, "commission"), t.path("commissionAsset").asText(), t.path("isMaker").asBoolean() ? Liquidity.MAKER : Liquidity.TAKER,
                Instant.ofEpochMilli(t.path("time").asLong()));
    }

    /** Whether an order in this status still works at Binance. */
    static boolean working(String status) {
        return "NEW".equals(status) || "PARTIALLY_FILLED".equals(status) || "PENDING_NEW".equals(status);
    }
}
