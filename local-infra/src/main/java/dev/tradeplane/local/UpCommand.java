package dev.tradeplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Launcher up}: PostgreSQL and Redis (embedded unless configured), then the engine, then OPS, each awaited
 * until ready; then it waits in the foreground. Everything it starts registers with {@link ShutdownSequence}, so
 * Ctrl-C or SIGTERM stop OPS, the engine, Redis and PostgreSQL in that order.
 */
final class UpCommand {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** After a service exits: how long to wait for the JVM to start shutting down, which would mean Ctrl-C. */
    private static final Duration CTRL_C_GRACE = Duration.ofSeconds(3);

    private final LaunchSettings settings;

    UpCommand(LaunchSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts everything and blocks until a service exits or the JVM shuts down.
     *
     * @return the process exit status: 0 when stopped by a signal, 1 when a service exited by itself
     * @throws LaunchException if something cannot start; what did start is left to the caller to stop
     */
    int run() {
        preflight();
        createDirectory(settings.home());

        PostgresEndpoint database = settings.externalDatabase() ? null : startPostgres();
        RedisEndpoint redis = settings.externalRedis() ? null : startRedis();
        Map<String, String> common = commonEnvironment(settings, database, redis);

        ServiceProcess engine = startService("engine", settings.engineJar(), engineEnvironment(settings, common),
                settings.enginePort());
        ServiceProcess ops = startService("ops", settings.opsJar(), opsEnvironment(settings, common),
                settings.opsPort());

        System.out.println(Banner.render(settings, describePostgres(database), describeRedis(redis)));
        System.out.flush();

        CompletableFuture.anyOf(engine.onExit(), ops.onExit()).join();
        if (shutdownUnderWay()) {
            return 0; // Ctrl-C or SIGTERM: the shutdown hook stops the rest
        }
        ServiceProcess exited = engine.isAlive() ? ops : engine;
        Console.error("The " + exited.name() + " service exited by itself (exit code " + exited.onExit().join()
                + "); its last output is above. Stopping everything else.");
        return 1;
    }

    /** Everything that can be checked before starting anything. */
    private void preflight() {
        requireJar("engine", settings.engineJar());
        requireJar("ops", settings.opsJar());
        requireFreePort(settings.bindHost(), settings.enginePort(), "ENGINE_PORT");
        requireFreePort(settings.bindHost(), settings.opsPort(), "OPS_PORT");
        if (!settings.externalDatabase()) {
            try {
                EmbeddedPostgresServer.refuseIfStillRunning(settings.postgresDataDirectory());
            } catch (IllegalStateException e) {
                throw new LaunchException(e.getMessage(), e);
            }
            requireFreePort(Ports.LOOPBACK, settings.postgresPort(), "TRADEPLANE_PG_PORT");
        }
        if (!settings.externalRedis()) {
            requireFreePort(Ports.LOOPBACK, settings.redisPort(), "TRADEPLANE_REDIS_PORT");
        }
    }

    private static void requireJar(String service, Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new LaunchException("The " + service + " service is not built: " + jar + " is missing. `bin/tradeplane"
                    + " up` builds it (or `./mvnw -DskipTests install` in the repository root).");
        }
    }

    private static void requireFreePort(String host, int port, String variable) {
        if (!Ports.isFree(host, port)) {
            throw new LaunchException("Port " + port + " on " + host + " is already in use (`lsof -i :" + port
                    + "` shows by what; perhaps by a Tradeplane process left over from an earlier run). Stop it, or"
                    + " choose another port with " + variable + ", e.g. " + variable + "=" + suggestion(port)
                    + " bin/tradeplane up");
        }
    }

    private static int suggestion(int port) {
        return port + 10_000 <= 65_535 ? port + 10_000 : port - 10_000;
    }

    private PostgresEndpoint startPostgres() {
        Console.info("Starting embedded PostgreSQL on " + Ports.LOOPBACK + ":" + settings.postgresPort()
                + " (data in " + settings.postgresDataDirectory() + ")");
        try {
            EmbeddedPostgresServer server =
                    EmbeddedPostgresServer.start(settings.postgresDataDirectory(), settings.postgresPort());
            Databases.createIfMissing(server.endpoint("postgres"), LaunchSettings.DATABASE);
            return server.endpoint(LaunchSettings.DATABASE);
        } catch (RuntimeException e) {
            throw new LaunchException(e.getMessage(), e);
        }
    }

    private RedisEndpoint startRedis() {
        Console.info("Starting embedded Redis on " + Ports.LOOPBACK + ":" + settings.redisPort()
                + " (data in " + settings.redisDataDirectory() + ")");
        try {
            return EmbeddedRedisServer.start(settings.redisDataDirectory(), settings.redisPort()).endpoint();
        } catch (RuntimeException e) {
            throw new LaunchException(e.getMessage(), e);
        }
    }

    private ServiceProcess startService(String name, Path jar, Map<String, String> env, int port) {
        String readyUrl = settings.baseUrl(port) + "/q/health/ready";
        Console.info("Starting " + name + " on " + settings.baseUrl(port) + "; waiting until " + readyUrl
                + " is ready (at most " + READY_TIMEOUT.toSeconds() + " s)");
        ServiceProcess service = ServiceProcess.start(name, jar, env, null);
        try {
            service.awaitReady(readyUrl, READY_TIMEOUT);
        } catch (ServiceNotReadyException e) {
            throw new LaunchException(e.reason() + ". Its output is above.", e); // printed already, with [name]
        }
        Console.info(name + " is ready (pid " + service.pid() + ")");
        return service;
    }

    /**
     * The variables both services get on top of the launcher's own environment.
     *
     * @param database the embedded database, or {@code null} to pass the user's {@code QUARKUS_DATASOURCE_*} on
     * @param redis    the embedded Redis, or {@code null} to pass the user's {@code QUARKUS_REDIS_*} on
     */
    static Map<String, String> commonEnvironment(LaunchSettings settings, PostgresEndpoint database,
            RedisEndpoint redis) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.passThrough().forEach((name, value) -> {
            boolean replaced = name.startsWith("QUARKUS_DATASOURCE_") ? database != null : redis != null;
            if (!replaced) {
                env.put(name, value);
            }
        });
        if (database != null) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
            env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        }
        if (redis != null) {
            env.put("QUARKUS_REDIS_HOSTS", redis.url());
        }
        env.put("QUARKUS_HTTP_HOST", settings.bindHost());
        env.put("OPS_TOKEN", settings.opsToken());
        if (settings.engineToken() != null) {
            env.put("ENGINE_TOKEN", settings.engineToken());
        }
        return env;
    }

    static Map<String, String> engineEnvironment(LaunchSettings settings, Map<String, String> common) {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(settings.enginePort()));
        return env;
    }

    static Map<String, String> opsEnvironment(LaunchSettings settings, Map<String, String> common) {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(settings.opsPort()));
        env.put("TRADEPLANE_ENGINES_PAPER_URL", settings.baseUrl(settings.enginePort()));
        if (System.getenv("TRADEPLANE_AUDIT_FILE") == null) {
            env.put("TRADEPLANE_AUDIT_FILE", settings.home().resolve("audit.jsonl").toString());
        }
        if (System.getenv("TRADEPLANE_DASH_EXPORT_DIR") == null) {
            env.put("TRADEPLANE_DASH_EXPORT_DIR", settings.home().resolve("pnl").toString());
        }
        if (System.getenv("TRADEPLANE_GOVERNANCE_DIR") == null) {
            // The services run in their jar's directory: point OPS at the repository's policies/ explicitly.
            env.put("TRADEPLANE_GOVERNANCE_DIR", settings.root().resolve("policies").toString());
        }
        return env;
    }

    private String describePostgres(PostgresEndpoint database) {
        if (database == null) {
            return Banner.forDisplay(settings.passThrough().get("QUARKUS_DATASOURCE_REACTIVE_URL"))
                    + " (QUARKUS_DATASOURCE_REACTIVE_URL)";
        }
        return "embedded at " + database.hostAndPort() + ", database " + database.database() + ", data in "
                + settings.postgresDataDirectory();
    }

    private String describeRedis(RedisEndpoint redis) {
        if (redis == null) {
            return Banner.forDisplay(settings.passThrough().get("QUARKUS_REDIS_HOSTS")) + " (QUARKUS_REDIS_HOSTS)";
        }
        return "embedded at " + redis.url() + ", data in " + settings.redisDataDirectory();
    }

    /** Whether the JVM is shutting down now or within a moment (Ctrl-C reaches the services and us together). */
    private static boolean shutdownUnderWay() {
        long deadline = System.nanoTime() + CTRL_C_GRACE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (ShutdownSequence.isShuttingDown()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return ShutdownSequence.isShuttingDown();
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory + " (TRADEPLANE_HOME)", e);
        }
    }
}
