package dev.tradeplane.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An instrument on a venue, written {@code SYMBOL.VENUE} on the wire (e.g. {@code BTCUSDT.PAPER}).
 * Symbols and venues are upper case letters and digits.
 */
public record InstrumentId(String symbol, String venue) {

    private static final Pattern PART = Pattern.compile("[A-Z0-9]{1,32}");

    public InstrumentId {
        if (symbol == null || !PART.matcher(symbol).matches()) {
            throw new IllegalArgumentException("symbol must be 1 to 32 letters or digits");
        }
        if (venue == null || !PART.matcher(venue).matches()) {
            throw new IllegalArgumentException("venue must be 1 to 32 letters or digits");
        }
    }

    /** Parses {@code SYMBOL.VENUE}, case-insensitively; empty when the text is not of that form. */
    public static Optional<InstrumentId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        int dot = upper.indexOf('.');
        if (dot <= 0 || dot != upper.lastIndexOf('.') || dot == upper.length() - 1) {
            return Optional.empty();
        }
        String symbol = upper.substring(0, dot);
        String venue = upper.substring(dot + 1);
        if (!PART.matcher(symbol).matches() || !PART.matcher(venue).matches()) {
            return Optional.empty();
        }
        return Optional.of(new InstrumentId(symbol, venue));
    }

    @Override
    public String toString() {
        return symbol + "." + venue;
    }
}
