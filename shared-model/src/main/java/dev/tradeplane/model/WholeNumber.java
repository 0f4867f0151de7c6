package dev.tradeplane.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads an {@link Integer} field that must be a whole number: {@code 2}, {@code 2.0} or {@code "2"}, but never
 * {@code 2.7}, which Jackson would otherwise truncate to 2 without a word. A fraction, or a value beyond an int, is a
 * binding error on the field (a 400 naming it).
 */
public final class WholeNumber extends JsonDeserializer<Integer> {

    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        BigDecimal value;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = p.getDecimalValue();
        } else if (token == JsonToken.VALUE_STRING) {
            try {
                value = new BigDecimal(p.getText().trim());
            } catch (NumberFormatException e) {
                throw InvalidFormatException.from(p, "must be a whole number", p.getText(), Integer.class);
            }
        } else {
            return (Integer) ctxt.handleUnexpectedToken(Integer.class, p);
        }
        // Number text is at most WireJson.MAX_NUMBER_LENGTH long, so these checks never expand a hostile exponent.
        if (value.signum() != 0 && (value.precision() - value.scale() > 10 || value.stripTrailingZeros().scale() > 0)) {
            throw InvalidFormatException.from(p, "must be a whole number", p.getText(), Integer.class);
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw InvalidFormatException.from(p, "must be a whole number", p.getText(), Integer.class);
        }
    }
}
