package dev.tradeplane.common.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long idempotency keys are kept: a repeat within this time gets the first answer; after it, it is a new request. */
@ConfigMapping(prefix = "tradeplane.idempotency")
public interface IdempotencyConfig {

    /** How long a key (an engine's Idempotency-Key, an OPS signal_id) and its answer are kept. */
    @WithDefault("24h")
    Duration retention();
}
