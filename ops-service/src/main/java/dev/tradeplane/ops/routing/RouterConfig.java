package dev.tradeplane.ops.routing;

import io.smallrye.config.ConfigMapping;
import java.util.OptionalLong;

/** The strategy router. */
@ConfigMapping(prefix = "tradeplane.router")
public interface RouterConfig {

    /** Seed of the router's random choice; set it to make the sequence of picks repeatable. Unset: seeded from the clock. */
    OptionalLong seed();
}
