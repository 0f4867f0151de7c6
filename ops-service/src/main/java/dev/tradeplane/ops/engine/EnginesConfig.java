package dev.tradeplane.ops.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/** Which engine owns which venue: {@code tradeplane.engines.<venue>.url}. */
@ConfigMapping(prefix = "tradeplane.engines")
public interface EnginesConfig {

    /** Engines by venue name (case-insensitive): {@code tradeplane.engines.paper.url=http://127.0.0.1:8081}. */
    @WithParentName
    Map<String, Engine> venues();

    interface Engine {
        /** Base URL of the engine that owns this venue. */
        String url();

        /** Token for this engine, when it differs from {@code tradeplane.engine-client.token}. */
        Optional<String> token();
    }
}
