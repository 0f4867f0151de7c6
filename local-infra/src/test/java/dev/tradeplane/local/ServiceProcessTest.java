package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    @TempDir
    static Path directory;
    static Path jar;

    @BeforeAll
    static void createJar() throws IOException {
        jar = FakeServiceJar.create(directory.resolve("app/quarkus-run.jar"));
    }

    @Test
    void becomesReadyPassesEnvironmentAndStopsGracefully() throws Exception {
        int port = Ports.freePort();
        try (ServiceProcess service = ServiceProcess.start("fake", jar,
                Map.of("QUARKUS_HTTP_PORT", Integer.toString(port), "GREETING", "hello"), null, List.of("-Xmx64m"))) {
            service.awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(20));
            assertTrue(service.isAlive());
            String command = ProcessHandle.of(service.pid()).orElseThrow().info().command().orElse("?");
            assertTrue(command.endsWith("/java"), "pid() is the JVM itself, not a wrapper: " + command);
            assertEquals("hello", get("http://127.0.0.1:" + port + "/env?GREETING"));
            assertTrue(get("http://127.0.0.1:" + port + "/env?PATH").length() > 0, "inherits the environment");

            service.stop(Duration.ofSeconds(10));

            assertFalse(service.isAlive());
            assertTrue(service.recentOutput().contains("fake service stopping"), () -> "SIGTERM ran its shutdown hooks: " + service.recentOutput() + " exit " + service.onExit().join());
        }
    }

    @Test
    void reportsEarlyExitWithItsLastOutput() {
        try (ServiceProcess service = ServiceProcess.start("doomed", jar,
                Map.of("FAKE_MODE", "exit", "QUARKUS_HTTP_PORT", "1"), null)) {
            ServiceNotReadyException e = assertThrows(ServiceNotReadyException.class,
                    () -> service.awaitReady("http://127.0.0.1:1/q/health/ready", Duration.ofSeconds(20)));
            assertTrue(e.reason().contains("exited with code 3"), e.getMessage());
            assertTrue(e.lastOutput().contains("fatal: cannot start"), e.getMessage());
            assertTrue(e.getMessage().contains("fatal: cannot start"), e.getMessage());
        }
    }

    @Test
    void reportsTimeoutWithLastAnswer() {
        int port = Ports.freePort();
        try (ServiceProcess service = ServiceProcess.start("slow", jar,
                Map.of("FAKE_MODE", "unready", "QUARKUS_HTTP_PORT", Integer.toString(port)), null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> service.awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(3)));
            assertTrue(e.getMessage().contains("within 3 s"), e.getMessage());
            assertTrue(e.getMessage().contains("fake service starting"), e.getMessage());
        }
    }

    @Test
    void killsAStubbornServiceAfterTheGraceAndOnDemand() throws Exception {
        int port = Ports.freePort();
        Path log = directory.resolve("logs/stubborn.log");
        ServiceProcess service = ServiceProcess.start("stubborn", jar,
                Map.of("FAKE_MODE", "stubborn", "QUARKUS_HTTP_PORT", Integer.toString(port)), log);
        service.awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(20));
        long started = System.nanoTime();
        service.stop(Duration.ofSeconds(1));
        assertFalse(service.isAlive());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
        assertTrue(Files.readString(log).contains("fake service listening"), "output went to the log file");

        int port2 = Ports.freePort();
        ServiceProcess other = ServiceProcess.start("victim", jar, Map.of("QUARKUS_HTTP_PORT",
                Integer.toString(port2)), null);
        other.awaitReady("http://127.0.0.1:" + port2 + "/q/health/ready", Duration.ofSeconds(20));
        other.kill();
        assertFalse(other.isAlive());
        assertEquals(137, other.onExit().join(), "SIGKILL");
    }

    @Test
    void refusesAMissingJar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServiceProcess.start("ghost", directory.resolve("nope.jar"), Map.of(), null));
        assertTrue(e.getMessage().contains("nope.jar"), e.getMessage());
    }

    private static String get(String url) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
