package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void postgresUrls() {
        PostgresEndpoint endpoint = new PostgresEndpoint("127.0.0.1", 5432, "tradeplane", "postgres", "secret");
        assertEquals("postgresql://127.0.0.1:5432/tradeplane", endpoint.reactiveUrl());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/tradeplane", endpoint.jdbcUrl());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/other", endpoint.withDatabase("other").jdbcUrl());
        assertEquals("secret", endpoint.withDatabase("other").password());
        assertFalse(endpoint.toString().contains("secret"));
        assertEquals("postgresql://[::1]:5432/x", new PostgresEndpoint("::1", 5432, "x", "u", null).reactiveUrl());
    }

    @Test
    void redisUrl() {
        assertEquals("redis://127.0.0.1:6379", new RedisEndpoint("127.0.0.1", 6379).url());
    }
}
