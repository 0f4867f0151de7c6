package dev.tradeplane.local;

import java.util.Objects;

/**
 * Where a Redis server is.
 *
 * @param host host name or IP address (an IPv6 literal without brackets is fine)
 * @param port TCP port
 */
public record RedisEndpoint(String host, int port) {

    /** Validates the components. */
    public RedisEndpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Redis port out of range: " + port);
        }
    }

    /** The URL in the form Quarkus' {@code quarkus.redis.hosts} takes: {@code redis://host:port}. */
    public String url() {
        return "redis://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
