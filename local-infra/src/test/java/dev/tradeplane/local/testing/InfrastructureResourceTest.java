package dev.tradeplane.local.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.local.Databases;
import dev.tradeplane.local.Ports;
import dev.tradeplane.local.PostgresEndpoint;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfrastructureResourceTest {

    @Test
    void suppliesQuarkusConfigurationForTheNamedDatabase() throws Exception {
        InfrastructureResource resource = new InfrastructureResource();
        resource.init(Map.of("database", "tradeplane_test_local_infra"));
        Map<String, String> config = resource.start();

        PostgresEndpoint expected = TestInfrastructure.postgres("tradeplane_test_local_infra");
        assertEquals(expected.reactiveUrl(), config.get("quarkus.datasource.reactive.url"));
        assertEquals(expected.jdbcUrl(), config.get("quarkus.datasource.jdbc.url"));
        assertEquals(expected.user(), config.get("quarkus.datasource.username"));
        assertEquals(expected.password().isEmpty(), !config.containsKey("quarkus.datasource.password"));
        assertEquals(TestInfrastructure.redis().url(), config.get("quarkus.redis.hosts"));
        try (Connection connection = Databases.connect(expected)) {
            assertTrue(connection.isValid(2));
        }
        assertTrue(Ports.isOpen(TestInfrastructure.redis().host(), TestInfrastructure.redis().port(),
                Duration.ofSeconds(1)));
        resource.stop();
    }

    @Test
    void defaultsTheDatabaseName() {
        InfrastructureResource resource = new InfrastructureResource();
        resource.init(Map.of());
        assertTrue(resource.start().get("quarkus.datasource.jdbc.url").endsWith("/tradeplane_test"));
    }

    @Test
    void embeddedModeStartsEmbeddedServers() {
        Map<String, String> env = Map.of("TRADEPLANE_TEST_INFRA", "embedded");
        PostgresEndpoint postgres = TestInfrastructure.choosePostgres(env);
        assertEquals("127.0.0.1", postgres.host());
        Databases.createIfMissing(postgres, "embedded_check");
        assertTrue(Databases.exists(postgres, "embedded_check"));
        assertTrue(Ports.isOpen("127.0.0.1", TestInfrastructure.chooseRedis(env).port(), Duration.ofSeconds(1)));
    }

    @Test
    void rejectsAnUnknownMode() {
        assertThrows(IllegalArgumentException.class, () -> TestInfrastructure.mode(Map.of("TRADEPLANE_TEST_INFRA", "x")));
        assertEquals(TestInfrastructure.Mode.AUTO, TestInfrastructure.mode(Map.of()));
    }
}
