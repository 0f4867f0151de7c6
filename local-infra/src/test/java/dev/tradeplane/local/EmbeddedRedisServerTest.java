package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisServerTest {

    @TempDir
    Path directory;

    @Test
    void keepsDataAcrossRestartsOnTheSameDirectory() throws Exception {
        Path data = directory.resolve("redis");
        int port;
        try (EmbeddedRedisServer server = EmbeddedRedisServer.start(data, 0)) {
            port = server.endpoint().port();
            assertEquals("redis://127.0.0.1:" + port, server.endpoint().url());
            try (RespClient redis = new RespClient(server.endpoint())) {
                assertEquals("+OK", redis.command("SET", "tradeplane:test", "kept"));
            }
        }
        assertFalse(Ports.isOpen("127.0.0.1", port, Duration.ofMillis(500)), "stopped");

        try (EmbeddedRedisServer server = EmbeddedRedisServer.start(data, port);
                RespClient redis = new RespClient(server.endpoint())) {
            assertEquals("kept", redis.command("GET", "tradeplane:test"));
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> EmbeddedRedisServer.start(null, port));
            assertTrue(taken.getMessage().contains("port " + port), taken.getMessage());
        }
    }

    @Test
    void withoutDataDirectoryNothingIsKept() throws Exception {
        int port;
        try (EmbeddedRedisServer server = EmbeddedRedisServer.start(null, 0);
                RespClient redis = new RespClient(server.endpoint())) {
            port = server.endpoint().port();
            redis.command("SET", "k", "v");
            assertEquals("no", redis.command("CONFIG", "GET", "appendonly"));
            assertEquals("127.0.0.1", redis.command("CONFIG", "GET", "bind"));
        }
        try (EmbeddedRedisServer server = EmbeddedRedisServer.start(null, port);
                RespClient redis = new RespClient(server.endpoint())) {
            assertEquals(null, redis.command("GET", "k"));
        }
    }
}
