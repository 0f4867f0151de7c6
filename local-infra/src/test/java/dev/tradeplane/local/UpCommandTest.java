package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {

    @TempDir
    Path directory;

    @AfterEach
    void stopEverything() {
        ShutdownSequence.runAll();
    }

    @Test
    void environmentForEmbeddedInfrastructure() {
        LaunchSettings settings = LaunchSettings.from(Map.of("OPS_TOKEN", "tok", "QUARKUS_DATASOURCE_PASSWORD", "x"),
                directory, directory);
        Map<String, String> common = UpCommand.commonEnvironment(settings,
                new PostgresEndpoint("127.0.0.1", 15432, "tradeplane", "postgres", ""),
                new RedisEndpoint("127.0.0.1", 16379));
        assertEquals("postgresql://127.0.0.1:15432/tradeplane", common.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertEquals("jdbc:postgresql://127.0.0.1:15432/tradeplane", common.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("postgres", common.get("QUARKUS_DATASOURCE_USERNAME"));
        assertEquals("redis://127.0.0.1:16379", common.get("QUARKUS_REDIS_HOSTS"));
        assertEquals("127.0.0.1", common.get("QUARKUS_HTTP_HOST"));
        assertEquals("tok", common.get("OPS_TOKEN"));
        assertNull(common.get("ENGINE_TOKEN"));

        Map<String, String> engine = UpCommand.engineEnvironment(settings, common);
        Map<String, String> ops = UpCommand.opsEnvironment(settings, common);
        assertEquals("8081", engine.get("QUARKUS_HTTP_PORT"));
        assertEquals("8080", ops.get("QUARKUS_HTTP_PORT"));
        assertEquals("http://127.0.0.1:8081", ops.get("TRADEPLANE_ENGINES_PAPER_URL"));
        assertNull(engine.get("TRADEPLANE_ENGINES_PAPER_URL"));
        if (System.getenv("TRADEPLANE_AUDIT_FILE") == null) {
            assertEquals(settings.home().resolve("audit.jsonl").toString(), ops.get("TRADEPLANE_AUDIT_FILE"), "the audit file lives in TRADEPLANE_HOME");
        }
        if (System.getenv("TRADEPLANE_GOVERNANCE_DIR") == null) {
            assertEquals(settings.root().resolve("policies").toString(), ops.get("TRADEPLANE_GOVERNANCE_DIR"), "OPS loads the repository's policies");
        }
    }

    @Test
    void environmentForExternalInfrastructurePassesTheUsersVariablesOn() {
        LaunchSettings settings = LaunchSettings.from(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://db:5432/tp",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://db:5432/tp",
                "QUARKUS_DATASOURCE_USERNAME", "tp",
                "QUARKUS_DATASOURCE_PASSWORD", "pw",
                "QUARKUS_REDIS_HOSTS", "redis://cache:6379",
                "ENGINE_TOKEN", "etok"), directory, directory);
        Map<String, String> common = UpCommand.commonEnvironment(settings, null, null);
        assertEquals("postgresql://db:5432/tp", common.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertEquals("jdbc:postgresql://db:5432/tp", common.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("tp", common.get("QUARKUS_DATASOURCE_USERNAME"));
        assertEquals("pw", common.get("QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("redis://cache:6379", common.get("QUARKUS_REDIS_HOSTS"));
        assertEquals("etok", common.get("ENGINE_TOKEN"));
    }

    @Test
    void namesTheMissingJar() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> new UpCommand(LaunchSettings.from(Map.of(), directory, directory)).run());
        assertTrue(e.getMessage().contains("engine-service/target/quarkus-app/quarkus-run.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("bin/tradeplane up"), e.getMessage());
    }

    @Test
    void namesTheTakenPortAndItsVariable() throws Exception {
        fakeJars();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LaunchSettings settings = LaunchSettings.from(Map.of("OPS_PORT", Integer.toString(taken.getLocalPort()),
                    "ENGINE_PORT", Integer.toString(Ports.freePort())), directory, directory);
            LaunchException e = assertThrows(LaunchException.class, () -> new UpCommand(settings).run());
            assertTrue(e.getMessage().contains("Port " + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("OPS_PORT="), e.getMessage());
        }
    }

    @Test
    void runsTheStackAndStopsWhenAServiceExits() throws Exception {
        fakeJars();
        Map<String, String> env = new HashMap<>();
        env.put("TRADEPLANE_HOME", directory.resolve("home").toString());
        env.put("ENGINE_PORT", Integer.toString(Ports.freePort()));
        env.put("OPS_PORT", Integer.toString(Ports.freePort()));
        env.put("TRADEPLANE_PG_PORT", Integer.toString(Ports.freePort()));
        env.put("TRADEPLANE_REDIS_PORT", Integer.toString(Ports.freePort()));
        LaunchSettings settings = LaunchSettings.from(env, directory, directory);

        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> new UpCommand(settings).run());
        String ops = settings.baseUrl(settings.opsPort());
        awaitOk(ops + "/q/health/ready", status);

        assertEquals(settings.baseUrl(settings.enginePort()), get(ops + "/env?TRADEPLANE_ENGINES_PAPER_URL"));
        assertEquals(settings.opsToken(), get(ops + "/env?OPS_TOKEN"));
        String jdbcUrl = get(ops + "/env?QUARKUS_DATASOURCE_JDBC_URL");
        assertEquals("jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/tradeplane", jdbcUrl);
        assertTrue(Databases.exists(new PostgresEndpoint("127.0.0.1", settings.postgresPort(), "postgres",
                "postgres", ""), "tradeplane"));
        assertTrue(Files.exists(settings.postgresDataDirectory().resolve("PG_VERSION")));
        assertTrue(Files.exists(settings.redisDataDirectory()));

        // The engine "crashes": up reports it and returns 1.
        get(settings.baseUrl(settings.enginePort()) + "/env?PATH");
        String engineJar = settings.engineJar().toString();
        ProcessHandle engine = ProcessHandle.current().children() // only our own child, found by its unique jar path
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(engineJar)).orElse(false))
                .findFirst().orElseThrow();
        engine.destroyForcibly();
        assertEquals(1, status.get(30, TimeUnit.SECONDS));

        ShutdownSequence.runAll();
        assertFalse(Ports.isOpen("127.0.0.1", settings.opsPort(), Duration.ofMillis(300)));
        assertFalse(Ports.isOpen("127.0.0.1", settings.postgresPort(), Duration.ofMillis(300)));
        assertFalse(Ports.isOpen("127.0.0.1", settings.redisPort(), Duration.ofMillis(300)));
    }

    private void fakeJars() throws Exception {
        FakeServiceJar.create(directory.resolve("engine-service/target/quarkus-app/quarkus-run.jar"));
        FakeServiceJar.create(directory.resolve("ops-service/target/quarkus-app/quarkus-run.jar"));
    }

    private static void awaitOk(String url, CompletableFuture<Integer> status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (status.isDone()) {
                throw new AssertionError("up ended early with status " + status.join());
            }
            try {
                get(url);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError(url + " never answered");
    }

    private static String get(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
