package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchSettingsTest {

    private static final Path ROOT = Path.of("/repo");
    private static final Path HOME = Path.of("/home/dev");

    @Test
    void defaults() {
        LaunchSettings settings = LaunchSettings.from(Map.of(), ROOT, HOME);
        assertEquals(Path.of("/home/dev/.tradeplane"), settings.home());
        assertEquals(Path.of("/home/dev/.tradeplane/postgres"), settings.postgresDataDirectory());
        assertEquals(Path.of("/home/dev/.tradeplane/redis"), settings.redisDataDirectory());
        assertEquals(8081, settings.enginePort());
        assertEquals(8080, settings.opsPort());
        assertEquals(15432, settings.postgresPort());
        assertEquals(16379, settings.redisPort());
        assertEquals("127.0.0.1", settings.bindHost());
        assertFalse(settings.externalDatabase());
        assertFalse(settings.externalRedis());
        assertNull(settings.engineToken());
        assertEquals(Path.of("/repo/engine-service/target/quarkus-app/quarkus-run.jar"), settings.engineJar());
        assertEquals(Path.of("/repo/ops-service/target/quarkus-app/quarkus-run.jar"), settings.opsJar());
        assertEquals("http://127.0.0.1:8080", settings.baseUrl(settings.opsPort()));
    }

    @Test
    void generatesA32ByteBase64UrlTokenWhenUnsetOrBlank() {
        LaunchSettings first = LaunchSettings.from(Map.of("OPS_TOKEN", "  "), ROOT, HOME);
        LaunchSettings second = LaunchSettings.from(Map.of(), ROOT, HOME);
        assertTrue(first.opsTokenGenerated());
        assertTrue(first.opsToken().matches("[A-Za-z0-9_-]{43}"), first.opsToken());
        assertNotEquals(first.opsToken(), second.opsToken());

        LaunchSettings given = LaunchSettings.from(Map.of("OPS_TOKEN", "s3cret", "ENGINE_TOKEN", "e-tok"), ROOT, HOME);
        assertFalse(given.opsTokenGenerated());
        assertEquals("s3cret", given.opsToken());
        assertEquals("e-tok", given.engineToken());
        assertFalse(given.toString().contains("s3cret"));
        assertFalse(given.toString().contains("e-tok"));
    }

    @Test
    void readsOverrides() {
        LaunchSettings settings = LaunchSettings.from(Map.of("TRADEPLANE_HOME", "/data/tp", "ENGINE_PORT", "9081",
                "OPS_PORT", "9080", "TRADEPLANE_BIND", "0.0.0.0", "TRADEPLANE_PG_PORT", "25432",
                "TRADEPLANE_REDIS_PORT", "26379"), ROOT, HOME);
        assertEquals(Path.of("/data/tp/postgres"), settings.postgresDataDirectory());
        assertEquals(9081, settings.enginePort());
        assertEquals(9080, settings.opsPort());
        assertEquals(25432, settings.postgresPort());
        assertEquals(26379, settings.redisPort());
        assertEquals("0.0.0.0", settings.bindHost());
        assertEquals("http://127.0.0.1:9081", settings.baseUrl(9081), "a wildcard bind is reached via loopback");
    }

    @Test
    void rejectsBadPorts() {
        LaunchException notANumber = assertThrows(LaunchException.class,
                () -> LaunchSettings.from(Map.of("OPS_PORT", "eighty"), ROOT, HOME));
        assertTrue(notANumber.getMessage().contains("OPS_PORT"), notANumber.getMessage());
        LaunchException clash = assertThrows(LaunchException.class,
                () -> LaunchSettings.from(Map.of("OPS_PORT", "8081"), ROOT, HOME));
        assertTrue(clash.getMessage().contains("OPS_PORT") && clash.getMessage().contains("ENGINE_PORT"));
    }

    @Test
    void externalDatabaseNeedsTheJdbcUrlToo() {
        LaunchException e = assertThrows(LaunchException.class, () -> LaunchSettings.from(
                Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://db:5432/tp"), ROOT, HOME));
        assertTrue(e.getMessage().contains("QUARKUS_DATASOURCE_JDBC_URL"), e.getMessage());

        LaunchSettings settings = LaunchSettings.from(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://db:5432/tp",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://db:5432/tp",
                "QUARKUS_DATASOURCE_PASSWORD", "pw",
                "QUARKUS_REDIS_HOSTS", "redis://cache:6379",
                "TRADEPLANE_PG_PORT", "8080"), ROOT, HOME);
        assertTrue(settings.externalDatabase());
        assertTrue(settings.externalRedis());
        assertEquals(4, settings.passThrough().size());
    }
}
