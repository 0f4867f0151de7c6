package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DatabasesTest {

    @Test
    void createIfMissingIsIdempotent() throws Exception {
        PostgresEndpoint server = TestInfrastructure.postgres("postgres");
        String name = "tradeplane_it_" + UUID.randomUUID().toString().replace("-", "");
        assertFalse(Databases.exists(server, name));
        try {
            Databases.createIfMissing(server, name);
            Databases.createIfMissing(server, name);
            assertTrue(Databases.exists(server, name));
            try (Connection connection = Databases.connect(server.withDatabase(name))) {
                assertTrue(connection.isValid(2));
            }
        } finally {
            try (Connection connection = Databases.connect(server);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    @Test
    void reportsAnUnreachableServerClearly() {
        PostgresEndpoint nowhere = new PostgresEndpoint("127.0.0.1", Ports.freePort(), "postgres", "postgres", "");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Databases.createIfMissing(nowhere, "x"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + nowhere.port()), e.getMessage());
    }
}
