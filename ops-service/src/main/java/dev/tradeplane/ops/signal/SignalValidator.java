package dev.tradeplane.ops.signal;

import dev.tradeplane.common.problem.Problems;
import dev.tradeplane.model.Decimals;
import dev.tradeplane.model.FieldError;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Signal;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a signal on its face, reporting every problem at once; nothing is written for a refused signal. */
@Singleton
public class SignalValidator {

    static final Pattern SIGNAL_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,60}");
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    public ValidSignal validate(Signal s) {
        if (s == null) {
            throw Problems.invalid("body", "a JSON signal is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (s.signalId() == null) {
            errors.add(new FieldError("signal_id", "is required: the signal's idempotency key"));
        } else if (!SIGNAL_ID.matcher(s.signalId()).matches()) {
            errors.add(new FieldError("signal_id", "must be 1 to 60 letters, digits or . _ : -"));
        }
        InstrumentId instrument = null;
        if (s.symbol() == null) {
            errors.add(new FieldError("symbol", "is required, e.g. BTCUSDT.PAPER"));
        } else {
            instrument = InstrumentId.parse(s.symbol()).orElse(null);
            if (instrument == null) {
                errors.add(new FieldError("symbol", "must look like BTCUSDT.PAPER (symbol, dot, venue)"));
            }
        }
        if (s.side() == null) {
            errors.add(new FieldError("side", "is required: BUY or SELL"));
        }
        if (s.quantity() == null && s.quote() == null) {
            errors.add(new FieldError("quantity", "give quantity or quote"));
        } else if (s.quantity() != null && s.quote() != null) {
            errors.add(new FieldError("quantity", "give quantity or quote, not both"));
        }
        positive(errors, "quantity", s.quantity());
        positive(errors, "quote", s.quote());
        positive(errors, "price", s.price());
        positive(errors, "stop_loss", s.stopLoss());
        positive(errors, "take_profit", s.takeProfit());
        OrderType type = s.type() == null ? OrderType.MARKET : s.type();
        if (type == OrderType.LIMIT && s.price() == null) {
            errors.add(new FieldError("price", "is required for a LIMIT signal"));
        }
        if (type == OrderType.MARKET && s.price() != null) {
            errors.add(new FieldError("price", "must not be given for a MARKET signal"));
        }
        if (s.execution() != null) {
            // The same field checks the engine makes (algo required, ranges), so a bad execution is refused before routing.
            errors.addAll(s.execution().errors());
            if (type != OrderType.MARKET || s.quantity() == null || s.stopLoss() != null || s.takeProfit() != null) {
                errors.add(new FieldError("execution", "works a MARKET signal with a base quantity and no stop_loss or take_profit"));
            }
        }
        if (s.model() != null && !MODEL.matcher(s.model()).matches()) {
            errors.add(new FieldError("model", "must be 1 to 64 letters, digits or . _ -"));
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
        return new ValidSignal(s, s.signalId(), instrument, s.side(), type, s.quantity(), s.quote(), s.price(), s.stopLoss(), s.takeProfit(),
                Optional.ofNullable(s.model()));
    }

    private static void positive(List<FieldError> errors, String field, BigDecimal value) {
        String problem = value == null ? null : Decimals.positiveProblem(value);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }
}
