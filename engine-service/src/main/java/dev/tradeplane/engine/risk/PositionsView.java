package dev.tradeplane.engine.risk;

import dev.tradeplane.engine.position.PositionState;
import dev.tradeplane.model.InstrumentId;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A read-only view of every committed position, for the monitors that span instruments. Each entry is written only by
 * its instrument's lane, after the commit; readers may see one instrument a moment before another.
 */
@Singleton
public class PositionsView {

    /** A position and where it is. */
    public record Entry(InstrumentId instrument, String model, PositionState position) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public void put(InstrumentId instrument, String model, PositionState position) {
        entries.put(instrument + "|" + model, new Entry(instrument, model, position));
    }

    public Iterable<Entry> all() {
        return entries.values();
    }
}
