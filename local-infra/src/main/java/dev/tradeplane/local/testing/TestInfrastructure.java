package dev.tradeplane.local.testing;

import dev.tradeplane.local.Databases;
import dev.tradeplane.local.EmbeddedPostgresServer;
import dev.tradeplane.local.EmbeddedRedisServer;
import dev.tradeplane.local.Ports;
import dev.tradeplane.local.PostgresEndpoint;
import dev.tradeplane.local.RedisEndpoint;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL and Redis for tests: the ones already running on this machine when they answer, embedded ones
 * otherwise. Each is chosen once per JVM, on first use, and logged in one line.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_PG_HOST}</td><td>{@code 127.0.0.1}</td><td>PostgreSQL to use if it answers</td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_PG_PORT}</td><td>{@code 5432}</td><td></td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_PG_USER}</td><td>{@code postgres}</td><td>must be allowed to create databases</td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_PG_PASSWORD}</td><td>(empty)</td><td></td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_REDIS_HOST}</td><td>{@code 127.0.0.1}</td><td>Redis to use if it answers</td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_REDIS_PORT}</td><td>{@code 6379}</td><td></td></tr>
 *   <tr><td>{@code TRADEPLANE_TEST_INFRA}</td><td>{@code auto}</td><td>{@code auto}: as above; {@code embedded}: always
 *       start embedded servers; {@code external}: never, fail if the configured ones do not answer</td></tr>
 * </table>
 *
 * <p>Embedded servers listen on free ports of 127.0.0.1, keep their data in temporary places and stop when the JVM
 * exits. Their ports are published as system properties, so that a copy of this class loaded by another class loader
 * (Quarkus tests use several) reuses them instead of starting more.
 *
 * <p>Databases on a shared server outlive the test run: tests should not assume they start empty.
 */
public final class TestInfrastructure {

    private static final System.Logger LOG = System.getLogger(TestInfrastructure.class.getName());
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    static final String EMBEDDED_PG_PORT_PROPERTY = "tradeplane.test.embedded-postgres.port";
    static final String EMBEDDED_REDIS_PORT_PROPERTY = "tradeplane.test.embedded-redis.port";

    /** The chosen server, as an endpoint of its {@code postgres} database. */
    private static PostgresEndpoint postgresServer;
    private static RedisEndpoint redis;

    private TestInfrastructure() {
    }

    /** How to choose, from {@code TRADEPLANE_TEST_INFRA}. */
    enum Mode { AUTO, EMBEDDED, EXTERNAL }

    /**
     * The endpoint of {@code database}, created if missing, on the PostgreSQL chosen for this JVM.
     *
     * @throws IllegalStateException if no server can be had or the database cannot be created
     */
    public static synchronized PostgresEndpoint postgres(String database) {
        if (postgresServer == null) {
            postgresServer = choosePostgres(System.getenv());
        }
        Databases.createIfMissing(postgresServer, database);
        return postgresServer.withDatabase(database);
    }

    /** The Redis chosen for this JVM. */
    public static synchronized RedisEndpoint redis() {
        if (redis == null) {
            redis = chooseRedis(System.getenv());
        }
        return redis;
    }

    static PostgresEndpoint choosePostgres(Map<String, String> env) {
        Mode mode = mode(env);
        PostgresEndpoint configured = new PostgresEndpoint(
                setting(env, "TRADEPLANE_TEST_PG_HOST", Ports.LOOPBACK),
                port(env, "TRADEPLANE_TEST_PG_PORT", 5432),
                "postgres",
                setting(env, "TRADEPLANE_TEST_PG_USER", "postgres"),
                env.getOrDefault("TRADEPLANE_TEST_PG_PASSWORD", ""));
        if (mode != Mode.EMBEDDED && Ports.isOpen(configured.host(), configured.port(), PROBE_TIMEOUT)) {
            LOG.log(System.Logger.Level.INFO, "Tests use the PostgreSQL at " + configured.hostAndPort()
                    + " as user " + configured.user() + " (TRADEPLANE_TEST_PG_HOST/_PORT)");
            return configured;
        }
        if (mode == Mode.EXTERNAL) {
            throw new IllegalStateException("TRADEPLANE_TEST_INFRA=external, but no PostgreSQL answers at "
                    + configured.hostAndPort() + " (TRADEPLANE_TEST_PG_HOST/_PORT)");
        }
        int shared = sharedPort(EMBEDDED_PG_PORT_PROPERTY);
        if (shared > 0) {
            LOG.log(System.Logger.Level.INFO, "Tests use the embedded PostgreSQL already running at "
                    + Ports.LOOPBACK + ":" + shared);
            return new PostgresEndpoint(Ports.LOOPBACK, shared, "postgres", EmbeddedPostgresServer.USER, "");
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(null, 0);
        System.setProperty(EMBEDDED_PG_PORT_PROPERTY, Integer.toString(server.port()));
        LOG.log(System.Logger.Level.INFO, (mode == Mode.EMBEDDED ? "TRADEPLANE_TEST_INFRA=embedded" :
                "No PostgreSQL answers at " + configured.hostAndPort()) + "; tests use an embedded PostgreSQL at "
                + Ports.LOOPBACK + ":" + server.port());
        return server.endpoint("postgres");
    }

    static RedisEndpoint chooseRedis(Map<String, String> env) {
        Mode mode = mode(env);
        RedisEndpoint configured = new RedisEndpoint(
                setting(env, "TRADEPLANE_TEST_REDIS_HOST", Ports.LOOPBACK),
                port(env, "TRADEPLANE_TEST_REDIS_PORT", 6379));
        if (mode != Mode.EMBEDDED && Ports.isOpen(configured.host(), configured.port(), PROBE_TIMEOUT)) {
            LOG.log(System.Logger.Level.INFO, "Tests use the Redis at " + configured.url()
                    + " (TRADEPLANE_TEST_REDIS_HOST/_PORT)");
            return configured;
        }
        if (mode == Mode.EXTERNAL) {
            throw new IllegalStateException("TRADEPLANE_TEST_INFRA=external, but no Redis answers at "
                    + configured.url() + " (TRADEPLANE_TEST_REDIS_HOST/_PORT)");
        }
        int shared = sharedPort(EMBEDDED_REDIS_PORT_PROPERTY);
        if (shared > 0) {
            LOG.log(System.Logger.Level.INFO, "Tests use the embedded Redis already running at "
                    + Ports.LOOPBACK + ":" + shared);
            return new RedisEndpoint(Ports.LOOPBACK, shared);
        }
        EmbeddedRedisServer server = EmbeddedRedisServer.start(null, 0);
        RedisEndpoint endpoint = server.endpoint();
        System.setProperty(EMBEDDED_REDIS_PORT_PROPERTY, Integer.toString(endpoint.port()));
        LOG.log(System.Logger.Level.INFO, (mode == Mode.EMBEDDED ? "TRADEPLANE_TEST_INFRA=embedded" :
                "No Redis answers at " + configured.url()) + "; tests use an embedded Redis at " + endpoint.url());
        return endpoint;
    }

    static Mode mode(Map<String, String> env) {
        String value = setting(env, "TRADEPLANE_TEST_INFRA", "auto");
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TRADEPLANE_TEST_INFRA must be auto, embedded or external, not '"
                    + value + "'", e);
        }
    }

    /** The port of an embedded server another class loader's copy of this class started, if it still answers. */
    private static int sharedPort(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            return 0;
        }
        int port = Integer.parseInt(value);
        return Ports.isOpen(Ports.LOOPBACK, port, PROBE_TIMEOUT) ? port : 0;
    }

    private static String setting(Map<String, String> env, String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static int port(Map<String, String> env, String name, int defaultValue) {
        String value = setting(env, name, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'", e);
        }
    }
}
