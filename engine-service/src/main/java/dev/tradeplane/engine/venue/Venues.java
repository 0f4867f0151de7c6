package dev.tradeplane.engine.venue;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The venues this engine owns, by name, and their instruments by id. */
@Singleton
public class Venues {

    private final Map<String, Venue> byName = new LinkedHashMap<>();
    private volatile Map<InstrumentId, Instrument> instruments = Map.of();

    public Venues(Instance<Venue> venues) {
        for (Venue venue : venues) {
            if (byName.putIfAbsent(venue.name(), venue) != null) {
                throw new IllegalStateException("two venues are named " + venue.name());
            }
        }
        refresh();
    }

    /**
     * Reads every venue's instruments again: an exchange adapter knows its rules only once it has started (they come
     * from the exchange).
     */
    public void refresh() {
        Map<InstrumentId, Instrument> all = new LinkedHashMap<>();
        for (Venue venue : byName.values()) {
            for (Instrument instrument : venue.instruments()) {
                InstrumentId id = InstrumentId.parse(instrument.symbol())
                        .filter(parsed -> parsed.venue().equals(venue.name()))
                        .orElseThrow(() -> new IllegalStateException("venue " + venue.name() + " lists a bad symbol " + instrument.symbol()));
                all.put(id, instrument);
            }
        }
        instruments = java.util.Collections.unmodifiableMap(all);
    }

    public Optional<Venue> venue(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Venue venue(InstrumentId id) {
        Venue venue = byName.get(id.venue());
        if (venue == null) {
            throw new IllegalArgumentException("no venue " + id.venue());
        }
        return venue;
    }

    public Optional<Instrument> instrument(InstrumentId id) {
        return Optional.ofNullable(instruments.get(id));
    }

    public List<Venue> all() {
        return List.copyOf(byName.values());
    }

    public List<InstrumentId> instrumentIds() {
        return List.copyOf(instruments.keySet());
    }

    public List<Instrument> instruments() {
        return List.copyOf(instruments.values());
    }
}
