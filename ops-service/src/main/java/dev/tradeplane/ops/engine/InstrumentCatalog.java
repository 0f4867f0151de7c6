package dev.tradeplane.ops.engine;

import dev.tradeplane.model.Instrument;
import dev.tradeplane.model.InstrumentId;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The instruments each engine trades, fetched from it and cached for a while, so OPS can refuse unknown symbols. */
@Singleton
public class InstrumentCatalog {

    private record Cached(Map<InstrumentId, Instrument> instruments, Instant fetchedAt) {}

    private final EngineClient engines;
    private final EngineClientConfig config;
    private final Clock clock;
    private final Map<String, Cached> byVenue = new ConcurrentHashMap<>();

    public InstrumentCatalog(EngineClient engines, EngineClientConfig config, Clock clock) {
        this.engines = engines;
        this.config = config;
        this.clock = clock;
    }

    /** The instrument, if its venue's engine trades it; fails with {@link EngineUnavailableException} if it cannot tell. */
    public Uni<Optional<Instrument>> find(InstrumentId id) {
        Cached cached = byVenue.get(id.venue());
        if (cached != null && cached.fetchedAt().plus(config.instrumentsTtl()).isAfter(clock.instant())) {
            return Uni.createFrom().item(Optional.ofNullable(cached.instruments().get(id)));
        }
        return engines.instruments(id.venue()).map(list -> {
            Map<InstrumentId, Instrument> map = new ConcurrentHashMap<>();
            for (Instrument instrument : list) {
                InstrumentId.parse(instrument.symbol()).ifPresent(parsed -> map.put(parsed, instrument));
            }
            byVenue.put(id.venue(), new Cached(map, clock.instant()));
            return Optional.ofNullable(map.get(id));
        }).onFailure().recoverWithUni(e -> cached != null
                // The engine is down but we knew its list: keep using it; the order call will say if it is down.
                ? Uni.createFrom().item(Optional.ofNullable(cached.instruments().get(id)))
                : Uni.createFrom().failure(e));
    }

    public List<String> venues() {
        return engines.venues();
    }
}
