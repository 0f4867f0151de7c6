package dev.tradeplane.e2e;

import dev.tradeplane.local.Ports;
import dev.tradeplane.local.PostgresEndpoint;
import dev.tradeplane.local.RedisEndpoint;
import dev.tradeplane.local.ServiceProcess;
import dev.tradeplane.local.testing.TestInfrastructure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Both packaged services as child processes, on real PostgreSQL and Redis, with a fresh database schema and an event
 * stream of their own. Used by the end-to-end tests; later by the fault tests that kill and restart a service.
 */
final class Stack implements AutoCloseable {

    static final String TOKEN = "e2e-token-0123456789abcdef";
    private static final Duration READY = Duration.ofSeconds(90);

    final int enginePort = Ports.freePort();
    final int opsPort = Ports.freePort();
    final String stream = "tradeplane-test:e2e:" + UUID.randomUUID();
    private final PostgresEndpoint postgres;
    private final RedisEndpoint redis;
    private final Path root;
    ServiceProcess engine;
    ServiceProcess ops;

    private final Map<String, String> extraEnv;
    private List<String> engineJvm = List.of();
    private final Map<String, String> opsEnv = new HashMap<>();

    Stack(String database) {
        this(TestInfrastructure.postgres(database), TestInfrastructure.redis(), Map.of());
    }

    /** A stack on the given PostgreSQL and Redis, with extra environment for both services. */
    Stack(PostgresEndpoint postgres, RedisEndpoint redis, Map<String, String> extraEnv) {
        this.root = Path.of(System.getProperty("tradeplane.root", "..")).toAbsolutePath().normalize();
        this.postgres = postgres;
        this.redis = redis;
        this.extraEnv = Map.copyOf(extraEnv);
        dropSchemas();
    }

    PostgresEndpoint postgres() {
        return postgres;
    }

    String engineUrl() {
        return "http://127.0.0.1:" + enginePort;
    }

    String opsUrl() {
        return "http://127.0.0.1:" + opsPort;
    }

    /** Extra JVM arguments for the engine (e.g. {@code -D} settings whose keys an environment variable cannot spell). */
    Stack withEngineJvm(String... args) {
        this.engineJvm = List.of(args);
        return this;
    }

    /** OPS routes signals for {@code venue} to this stack's engine too (besides PAPER). */
    Stack withEngineVenue(String venue) {
        opsEnv.put("TRADEPLANE_ENGINES_" + venue + "_URL", engineUrl());
        return this;
    }

    Stack start() {
        startEngine();
        startOps();
        return this;
    }

    void startEngine() {
        engine = ServiceProcess.start("engine", root.resolve("engine-service/target/quarkus-app/quarkus-run.jar"),
                env(enginePort, Map.of()), null, java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xmx384m"), engineJvm.stream()).toList());
        engine.awaitReady(engineUrl() + "/q/health/ready", READY);
    }

    void startOps() {
        Map<String, String> own = new HashMap<>(opsEnv);
        own.put("TRADEPLANE_ENGINES_PAPER_URL", engineUrl());
        own.put("TRADEPLANE_EVENTS_CONSUMER_NAME", "ops-e2e");
        ops = ServiceProcess.start("ops", root.resolve("ops-service/target/quarkus-app/quarkus-run.jar"), env(opsPort, own),
                null, List.of("-Xmx384m"));
        ops.awaitReady(opsUrl() + "/q/health/ready", READY);
    }

    /** Stops OPS (SIGKILL when {@code kill}, else SIGTERM). */
    void stopOps(boolean kill) {
        if (kill) {
            ops.kill();
        } else {
            ops.stop(java.time.Duration.ofSeconds(20));
        }
    }

    /** Stops the engine (SIGKILL when {@code kill}, else SIGTERM) and starts it again on the same port and data. */
    void restartEngine(boolean kill) {
        if (kill) {
            engine.kill();
        } else {
            engine.stop(java.time.Duration.ofSeconds(20));
        }
        startEngine();
    }

    private Map<String, String> env(int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        if (postgres.password() != null && !postgres.password().isEmpty()) {
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        env.put("QUARKUS_REDIS_HOSTS", redis.url());
        env.put("OPS_TOKEN", TOKEN);
        env.put("TRADEPLANE_EVENTS_STREAM", stream);
        env.put("TRADEPLANE_EVENTS_CONSUMER_GROUP", "ops-" + stream.substring(stream.length() - 8));
        Path files = root.resolve("e2e-tests/target/stack-" + opsPort);
        env.put("TRADEPLANE_AUDIT_FILE", files.resolve("audit.jsonl").toString());
        env.put("TRADEPLANE_ALLOCATOR_EXPORT_FILE", files.resolve("capital_allocations.json").toString());
        env.put("TRADEPLANE_CONFIG_DIR", files.resolve("config").toString());
        env.put("TRADEPLANE_DASH_EXPORT_DIR", files.resolve("pnl").toString());
        // No policy is in force unless a test puts one here (GovernanceIT points this at a directory of its own).
        env.put("TRADEPLANE_GOVERNANCE_DIR", files.resolve("policies").toString());
        env.putAll(extraEnv);
        env.putAll(extra);
        return env;
    }

    /**
     * Publishes an event on the stack's Redis stream as a service's outbox relay does (XADD with the fields id, type
     * and event), over a plain RESP connection; returns the event's id.
     */
    String publish(String type, String source, String payloadJson) throws java.io.IOException {
        String id = UUID.randomUUID().toString();
        String event = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":\"" + java.time.Instant.now() + "\",\"source\":\""
                + source + "\",\"payload\":" + payloadJson + "}";
        List<String> command = List.of("XADD", stream, "*", "id", id, "type", type, "event", event);
        StringBuilder resp = new StringBuilder("*" + command.size() + "\r\n");
        for (String arg : command) {
            resp.append('$').append(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        try (java.net.Socket socket = new java.net.Socket(redis.host(), redis.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(resp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            int first = socket.getInputStream().read();
            if (first != '$') {
                throw new java.io.IOException("Redis refused the XADD (reply starts with " + (char) first + ")");
            }
        }
        return id;
    }

    private void dropSchemas() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS engine CASCADE");
            s.execute("DROP SCHEMA IF EXISTS ops CASCADE");
            s.execute("DROP SCHEMA IF EXISTS paper CASCADE");
        } catch (Exception e) {
            throw new IllegalStateException("could not reset the e2e database", e);
        }
    }

    /** A JDBC connection to the stack's database. */
    Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    @Override
    public void close() {
        if (ops != null) {
            ops.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
