package dev.tradeplane.ops.signal;

import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.OrderType;
import dev.tradeplane.model.Side;
import dev.tradeplane.model.Signal;
import java.math.BigDecimal;
import java.util.Optional;

/** A signal that passed validation, with its defaults applied and its symbol parsed. */
public record ValidSignal(
        Signal raw,
        String signalId,
        InstrumentId instrument,
        Side side,
        OrderType type,
        BigDecimal quantity,
        BigDecimal quote,
        BigDecimal price,
        BigDecimal stopLoss,
        BigDecimal takeProfit,
        Optional<String> model) {

    /** The same signal placed with another size (its model's budget cut it). */
    /** The same signal worked by {@code execution} (a model's default), kept in its raw form so it is stored with it. */
    public ValidSignal withExecution(dev.tradeplane.model.Execution execution) {
        Signal r = new Signal(raw.signalId(), raw.symbol(), raw.side(), raw.quantity(), raw.quote(), raw.model(), raw.type(), raw.price(),
                raw.stopLoss(), raw.takeProfit(), execution);
        return new ValidSignal(r, signalId, instrument, side, type, quantity, quote, price, stopLoss, takeProfit, model);
    }

    /** Whether an execution algorithm may work it: a MARKET signal with a base quantity and no bracket. */
    public boolean executable() {
        return type == dev.tradeplane.model.OrderType.MARKET && quantity != null && stopLoss == null && takeProfit == null;
    }

    public ValidSignal withSize(BigDecimal newQuantity, BigDecimal newQuote) {
        return new ValidSignal(raw, signalId, instrument, side, type, newQuantity, newQuote, price, stopLoss, takeProfit, model);
    }

    /** A signal with a stop-loss or take-profit becomes a bracket order. */
    public boolean isBracket() {
        return stopLoss != null || takeProfit != null;
    }
}
