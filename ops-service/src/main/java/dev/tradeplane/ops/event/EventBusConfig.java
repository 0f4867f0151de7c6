package dev.tradeplane.ops.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How OPS reads the event stream. The stream itself is {@code tradeplane.events.stream}. */
@ConfigMapping(prefix = "tradeplane.events")
public interface EventBusConfig {

    @WithDefault("tradeplane:events")
    String stream();

    /** The Redis consumer group OPS reads the stream with. */
    @WithDefault("ops")
    String consumerGroup();

    /** This instance's consumer name in the group; keep it stable across restarts so unacknowledged events are re-read. */
    @WithDefault("ops-1")
    String consumerName();

    /** Events read per round trip. */
    @WithDefault("200")
    int readBatchSize();

    /** How long one read waits for new events. */
    @WithDefault("1s")
    Duration readBlock();

    /** Interval of the keep-alive comment on open SSE connections. */
    @WithDefault("15s")
    Duration sseHeartbeat();

    /** Stored events read per query when an SSE connection replays what it missed. */
    @WithDefault("1000")
    int ssePageSize();

    /**
     * Live events an SSE connection holds while it replays, or while its client reads slower than events arrive; one
     * more ends the connection, and the client resumes with its {@code Last-Event-ID}.
     */
    @WithDefault("10000")
    int sseBuffer();

    /**
     * Open {@code GET /events} connections at most: one more is answered 503 (each holds up to {@code sse-buffer}
     * events, so this bounds what they can take of the heap).
     */
    @WithDefault("256")
    int sseMaxConnections();
}
