package dev.tradeplane.ops.governance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where policies are and how often they are looked at again. */
@ConfigMapping(prefix = "tradeplane.governance")
public interface GovernanceConfig {

    /** The directory of policy files ({@code *.yaml}). */
    @WithDefault("policies")
    String dir();

    /** How often the directory is checked for new, changed or deleted files. */
    @WithDefault("2s")
    Duration reloadInterval();
}
