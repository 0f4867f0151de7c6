package dev.tradeplane.engine.venue.binance;

import dev.tradeplane.model.RejectReason;
import java.util.Locale;

/** Maps Binance's error codes and messages to our reject reasons. */
public final class BinanceErrors {

    private BinanceErrors() {
    }

    public static RejectReason reason(BinanceException e) {
        String msg = e.binanceMessage() == null ? "" : e.binanceMessage().toLowerCase(Locale.ROOT);
        if (e.status() == 429 || e.status() == 418 || e.code() == -1003 || e.code() == -1015) {
            return RejectReason.VENUE_RATE_LIMIT;
        }
        return switch (e.code()) {
            case -1013 -> filter(msg);
            case -1121 -> RejectReason.UNKNOWN_SYMBOL;
            case -1111 -> RejectReason.INVALID_PRICE;
            case -2010 -> msg.contains("immediately match") ? RejectReason.POST_ONLY_WOULD_TAKE
                    : msg.contains("insufficient balance") ? RejectReason.INSUFFICIENT_BALANCE
                    : RejectReason.VENUE_ERROR;
            case -1100, -1101, -1102, -1103, -1104, -1105, -1106, -1116, -1117, -1118, -1119, -1120 -> RejectReason.INVALID_REQUEST;
            default -> RejectReason.VENUE_ERROR;
        };
    }

    private static RejectReason filter(String msg) {
        if (msg.contains("price_filter") || msg.contains("percent_price")) {
            return msg.contains("percent_price") ? RejectReason.PRICE_BAND : RejectReason.TICK_SIZE;
        }
        if (msg.contains("lot_size")) {
            return RejectReason.LOT_SIZE;
        }
        if (msg.contains("notional")) {
            return RejectReason.MIN_NOTIONAL;
        }
        // A filter the engine does not check itself (MAX_NUM_ORDERS, ICEBERG_PARTS, ...): Binance's rule, not ours.
        return RejectReason.VENUE_ERROR;
    }

    /** The detail shown with a reject: Binance's own code and words. */
    public static String detail(BinanceException e) {
        return "Binance " + e.code() + ": " + e.binanceMessage();
    }
}
