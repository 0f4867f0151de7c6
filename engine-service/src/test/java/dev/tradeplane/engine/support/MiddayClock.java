package dev.tradeplane.engine.support;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The engine's clock for a profile that enables it: real time flowing at its own pace, but moved so that the engine
 * starts at 12:00 UTC of the day it really starts. A test class then cannot run across 00:00 UTC, when each scope's
 * daily PnL starts afresh: a daily-loss test means the same whenever it runs. Only for tests that do not compare the
 * engine's times with the wall clock.
 */
@Alternative
@Singleton
public class MiddayClock extends Clock {

    private final Clock shifted;

    public MiddayClock() {
        Instant now = Instant.now();
        Instant noon = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(12));
        this.shifted = Clock.offset(Clock.systemUTC(), Duration.between(now, noon));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return shifted.withZone(zone);
    }

    @Override
    public Instant instant() {
        return shifted.instant();
    }

    @Override
    public long millis() {
        return shifted.millis();
    }
}
