package dev.tradeplane.ops.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How OPS calls engines: each call has a timeout, and failures that cannot have doubled an order are retried. */
@ConfigMapping(prefix = "tradeplane.engine-client")
public interface EngineClientConfig {

    /** The token sent in {@code X-OPS-TOKEN} to every engine without a token of its own. */
    Optional<String> token();

    /**
     * The admin token sent when a governance policy trips an engine's kill switch (an admin-only endpoint); without
     * one, {@code token} is sent, which is enough when the engine has no separate admin token.
     */
    Optional<String> adminToken();

    /** Time allowed for one call to an engine. */
    @WithDefault("5s")
    Duration timeout();

    /** Retries after the first attempt, on connection errors, timeouts, 5xx and 409 in-flight answers. */
    @WithDefault("3")
    int retries();

    /** First retry delay; it doubles each time, with jitter, up to {@code retry-max-backoff}. */
    @WithDefault("100ms")
    Duration retryInitialBackoff();

    @WithDefault("2s")
    Duration retryMaxBackoff();

    /** Calls in a row that fail (after their retries) before the engine's circuit opens and calls fail at once. */
    @WithDefault("5")
    int breakerFailures();

    /** How long an open circuit refuses calls before it lets one through to try the engine again. */
    @WithDefault("10s")
    Duration breakerCooldown();

    /** How long an engine's instrument list is cached. */
    @WithDefault("60s")
    Duration instrumentsTtl();
}
