package dev.tradeplane.ops.support;

import io.quarkus.redis.datasource.RedisDataSource;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Publishes events on the Redis stream OPS reads, as a service's outbox relay does. */
public final class Bus {

    private Bus() {}

    /** XADDs an event of {@code type} from {@code source} with this JSON payload, timed now; returns its id. */
    public static String publish(RedisDataSource redis, String stream, String type, String source, String payload) {
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":\"" + Instant.now() + "\",\"source\":\"" + source + "\",\"payload\":"
                + payload + "}";
        redis.stream(String.class).xadd(stream, Map.of("id", id, "type", type, "event", json));
        return id;
    }
}
