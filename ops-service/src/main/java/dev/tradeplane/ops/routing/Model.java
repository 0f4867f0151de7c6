package dev.tradeplane.ops.routing;

import dev.tradeplane.model.BacktestStats;
import dev.tradeplane.model.InstrumentId;
import dev.tradeplane.model.StrategyModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A strategy model in the registry. The router sends it a share of the signals in proportion to {@code weight};
 * {@code venues} and {@code symbols} (null: any) limit what it may trade; {@code pausedFrom} is the status a resume
 * returns it to; {@code statusReason} who or what set its status, and why.
 */
public record Model(String name, ModelStatus status, BigDecimal weight, BigDecimal targetWeight, List<String> venues,
                    List<String> symbols, BacktestStats backtest, String owner, ModelStatus pausedFrom, Instant createdAt,
                    Instant updatedAt, long version, String statusReason,
                    dev.tradeplane.model.Execution execution) {

    /** A model as tests and seeds describe it: tradable everywhere, its weight its target. */
    public static Model of(String name, ModelStatus status, BigDecimal weight) {
        return new Model(name, status, weight, weight, null, null, null, null, null, null, null, 0, null, null);
    }

    /** Whether the model may trade the instrument (its venue and symbol are in its lists, or the lists are open). */
    public boolean mayTrade(InstrumentId id) {
        return (venues == null || venues.contains(id.venue())) && (symbols == null || symbols.contains(id.toString()));
    }

    public StrategyModel toWire() {
        return new StrategyModel(name, status.dbValue(), weight, targetWeight, venues, symbols, backtest, owner, createdAt, updatedAt, version, statusReason, execution);
    }
}
