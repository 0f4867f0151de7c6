package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path directory;

    @Test
    void keepsDataAcrossRestartsOnTheSameDirectory() throws Exception {
        Path data = directory.resolve("postgres");
        int port;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            port = server.port();
            assertTrue(Ports.isOpen("127.0.0.1", port, Duration.ofSeconds(1)));
            Databases.createIfMissing(server.endpoint("postgres"), "keep");
            try (Connection connection = Databases.connect(server.endpoint("keep"));
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE note (id int PRIMARY KEY, text varchar NOT NULL)");
                statement.execute("INSERT INTO note VALUES (1, 'survives a restart')");
            }
        }
        assertFalse(Ports.isOpen("127.0.0.1", port, Duration.ofMillis(500)), "stopped");
        assertTrue(Files.exists(data.resolve("PG_VERSION")), "the data directory stays");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, port)) {
            assertEquals(port, server.port());
            try (Connection connection = Databases.connect(server.endpoint("keep"));
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT text FROM note WHERE id = 1")) {
                assertTrue(rows.next());
                assertEquals("survives a restart", rows.getString(1));
            }
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.start(directory.resolve("other"), port));
            assertTrue(taken.getMessage().contains("port " + port), taken.getMessage());
        }
    }

    @Test
    void temporaryServerListensOnLoopbackAndRemovesItsData() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
        PostgresEndpoint endpoint = server.endpoint("postgres");
        assertEquals("127.0.0.1", endpoint.host());
        assertEquals("postgres", endpoint.user());
        assertTrue(server.dataDirectory().isEmpty());
        try (Connection connection = Databases.connect(endpoint);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW listen_addresses")) {
            assertTrue(rows.next());
            assertEquals("127.0.0.1", rows.getString(1));
        }
        server.stop();
        server.stop(); // idempotent
        assertFalse(Ports.isOpen("127.0.0.1", endpoint.port(), Duration.ofMillis(500)));
    }
}
