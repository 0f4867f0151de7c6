package dev.tradeplane.local;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code Launcher up} runs, read from the environment. See {@link Launcher} for the variables.
 *
 * @param root                  the repository root, holding {@code engine-service/} and {@code ops-service/}
 * @param home                  {@code TRADEPLANE_HOME}
 * @param opsToken              {@code OPS_TOKEN}, or a generated one
 * @param opsTokenGenerated     whether {@code opsToken} was generated for this run
 * @param engineToken           {@code ENGINE_TOKEN}, or {@code null} when unset
 * @param bindHost              {@code TRADEPLANE_BIND}
 * @param enginePort            {@code ENGINE_PORT}
 * @param opsPort               {@code OPS_PORT}
 * @param externalDatabase      whether {@code QUARKUS_DATASOURCE_REACTIVE_URL} points at a database of the user's
 * @param postgresPort          {@code TRADEPLANE_PG_PORT}, for the embedded PostgreSQL
 * @param externalRedis         whether {@code QUARKUS_REDIS_HOSTS} points at a Redis of the user's
 * @param redisPort             {@code TRADEPLANE_REDIS_PORT}, for the embedded Redis
 * @param passThrough           the user's {@code QUARKUS_DATASOURCE_*} and {@code QUARKUS_REDIS_*} variables
 */
record LaunchSettings(
        Path root,
        Path home,
        String opsToken,
        boolean opsTokenGenerated,
        String engineToken,
        String bindHost,
        int enginePort,
        int opsPort,
        boolean externalDatabase,
        int postgresPort,
        boolean externalRedis,
        int redisPort,
        Map<String, String> passThrough) {

    static final String DATABASE = "tradeplane";

    LaunchSettings {
        passThrough = Map.copyOf(passThrough);
    }

    /**
     * Reads the settings.
     *
     * @param env      the environment
     * @param root     the repository root
     * @param userHome the user's home directory, the parent of the default {@code TRADEPLANE_HOME}
     * @throws LaunchException if a variable is invalid or a required one is missing
     */
    static LaunchSettings from(Map<String, String> env, Path root, Path userHome) {
        String token = secret(env, "OPS_TOKEN");
        boolean generated = token == null;
        if (generated) {
            token = generateToken();
        }
        String home = value(env, "TRADEPLANE_HOME");
        boolean externalDatabase = value(env, "QUARKUS_DATASOURCE_REACTIVE_URL") != null;
        if (externalDatabase && value(env, "QUARKUS_DATASOURCE_JDBC_URL") == null) {
            throw new LaunchException("QUARKUS_DATASOURCE_REACTIVE_URL is set, so the services use that database"
                    + " instead of the embedded one, but QUARKUS_DATASOURCE_JDBC_URL is not set. Set it to the same"
                    + " database in JDBC form, e.g. jdbc:postgresql://HOST:5432/tradeplane (plus"
                    + " QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD as needed).");
        }
        Map<String, String> passThrough = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("QUARKUS_DATASOURCE_") || name.startsWith("QUARKUS_REDIS_")) {
                passThrough.put(name, value);
            }
        });
        LaunchSettings settings = new LaunchSettings(
                root.toAbsolutePath().normalize(),
                (home == null ? userHome.resolve(".tradeplane") : Path.of(home)).toAbsolutePath().normalize(),
                token,
                generated,
                secret(env, "ENGINE_TOKEN"),
                value(env, "TRADEPLANE_BIND") == null ? Ports.LOOPBACK : value(env, "TRADEPLANE_BIND"),
                port(env, "ENGINE_PORT", 8081),
                port(env, "OPS_PORT", 8080),
                externalDatabase,
                port(env, "TRADEPLANE_PG_PORT", 15432),
                value(env, "QUARKUS_REDIS_HOSTS") != null,
                port(env, "TRADEPLANE_REDIS_PORT", 16379),
                passThrough);
        settings.checkDistinctPorts();
        return settings;
    }

    /** {@code <root>/engine-service/target/quarkus-app/quarkus-run.jar}. */
    Path engineJar() {
        return root.resolve("engine-service/target/quarkus-app/quarkus-run.jar");
    }

    /** {@code <root>/ops-service/target/quarkus-app/quarkus-run.jar}. */
    Path opsJar() {
        return root.resolve("ops-service/target/quarkus-app/quarkus-run.jar");
    }

    /** The embedded PostgreSQL's data directory. */
    Path postgresDataDirectory() {
        return home.resolve("postgres");
    }

    /** The embedded Redis' data directory. */
    Path redisDataDirectory() {
        return home.resolve("redis");
    }

    /** The host to reach the services at from this machine: the bind address, or 127.0.0.1 for a wildcard one. */
    String localHost() {
        return switch (bindHost) {
            case "0.0.0.0", "::", "[::]", "*" -> Ports.LOOPBACK;
            default -> bindHost.indexOf(':') >= 0 && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
        };
    }

    /** {@code http://<localHost>:<port>}. */
    String baseUrl(int port) {
        return "http://" + localHost() + ":" + port;
    }

    @Override
    public String toString() { // keeps the tokens and passwords out of any log
        return "LaunchSettings[root=" + root + ", home=" + home + ", bind=" + bindHost + ", enginePort=" + enginePort
                + ", opsPort=" + opsPort + ", externalDatabase=" + externalDatabase + ", postgresPort=" + postgresPort
                + ", externalRedis=" + externalRedis + ", redisPort=" + redisPort + "]";
    }

    private void checkDistinctPorts() {
        Map<Integer, String> used = new TreeMap<>();
        claim(used, enginePort, "ENGINE_PORT");
        claim(used, opsPort, "OPS_PORT");
        if (!externalDatabase) {
            claim(used, postgresPort, "TRADEPLANE_PG_PORT");
        }
        if (!externalRedis) {
            claim(used, redisPort, "TRADEPLANE_REDIS_PORT");
        }
    }

    private static void claim(Map<Integer, String> used, int port, String variable) {
        String other = used.putIfAbsent(port, variable);
        if (other != null) {
            throw new LaunchException(variable + " and " + other + " are both " + port + "; give them different ports.");
        }
    }

    private static String generateToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A token as given (not trimmed: it must match what clients send), or {@code null} when unset or blank. */
    private static String secret(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static int port(Map<String, String> env, String name, int defaultValue) {
        String value = value(env, name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaunchException(name + " must be a TCP port number (1-65535), not '" + value + "'.");
    }
}
