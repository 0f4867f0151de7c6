package dev.tradeplane.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The event bus: where this service's outbox is and where its relay publishes. */
@ConfigMapping(prefix = "tradeplane.events")
public interface EventsConfig {

    /** The Redis stream every event is appended to (XADD). Consumers read it with consumer groups. */
    @WithDefault("tradeplane:events")
    String stream();

    /** Approximate cap on the stream's length (XADD MAXLEN ~); older entries are trimmed by Redis. */
    @WithDefault("1000000")
    long streamMaxLength();

    /** This service's name in the {@code source} of its events, e.g. {@code engine-paper} or {@code ops}. */
    String source();

    /** The PostgreSQL schema that holds this service's {@code outbox} table. */
    String outboxSchema();

    /** How often the relay looks for unpublished events, besides being nudged after each commit. */
    @WithDefault("1s")
    Duration relayInterval();

    /** Events published per relay round trip. */
    @WithDefault("500")
    int relayBatchSize();

    /** How long published events stay in the outbox table before they are deleted. */
    @WithDefault("24h")
    Duration outboxRetention();
}
