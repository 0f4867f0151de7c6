package dev.tradeplane.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the whole Tradeplane stack on this machine: {@code bin/tradeplane up} builds what is missing and then runs
 * {@code java -Dtradeplane.root=<repository root> -cp <local-infra.jar and target/lib/*> dev.tradeplane.local.Launcher up}.
 *
 * <p>{@code up} starts PostgreSQL and Redis (embedded ones unless configured otherwise), the engine service, then
 * the OPS service, waits until each is ready, prints where everything is, and runs in the foreground. Ctrl-C or
 * SIGTERM stop OPS, the engine (SIGTERM, 20 s grace each), Redis and PostgreSQL, in that order. If a service exits
 * by itself, the launcher stops the rest and exits with status 1. The services' output is printed with a
 * {@code [engine]} or {@code [ops]} prefix.
 *
 * <table>
 *   <caption>Environment variables read by {@code up}</caption>
 *   <tr><th>Variable</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code OPS_TOKEN}</td><td>generated</td><td>Token clients send in {@code X-OPS-TOKEN}. When unset or blank,
 *       32 random bytes (base64url) are generated for the run and shown once in the banner.</td></tr>
 *   <tr><td>{@code ENGINE_TOKEN}</td><td>unset</td><td>Passed to both services when set.</td></tr>
 *   <tr><td>{@code TRADEPLANE_HOME}</td><td>{@code $HOME/.tradeplane}</td><td>Holds the embedded PostgreSQL's data
 *       ({@code postgres/}) and the embedded Redis' data ({@code redis/}); they survive restarts.</td></tr>
 *   <tr><td>{@code ENGINE_PORT}</td><td>{@code 8081}</td><td>HTTP port of the engine service.</td></tr>
 *   <tr><td>{@code OPS_PORT}</td><td>{@code 8080}</td><td>HTTP port of the OPS service.</td></tr>
 *   <tr><td>{@code TRADEPLANE_BIND}</td><td>{@code 127.0.0.1}</td><td>Address both services listen on (passed as
 *       {@code QUARKUS_HTTP_HOST}). PostgreSQL and Redis always listen on 127.0.0.1 only.</td></tr>
 *   <tr><td>{@code TRADEPLANE_PG_PORT}</td><td>{@code 15432}</td><td>Port of the embedded PostgreSQL (database
 *       {@code tradeplane}, user {@code postgres}, no password).</td></tr>
 *   <tr><td>{@code TRADEPLANE_REDIS_PORT}</td><td>{@code 16379}</td><td>Port of the embedded Redis.</td></tr>
 *   <tr><td>{@code QUARKUS_DATASOURCE_REACTIVE_URL}</td><td>unset</td><td>When set, no embedded PostgreSQL is started;
 *       {@code QUARKUS_DATASOURCE_JDBC_URL} must then be set as well, and every {@code QUARKUS_DATASOURCE_*} variable
 *       (e.g. {@code _USERNAME}, {@code _PASSWORD}) reaches the services unchanged.</td></tr>
 *   <tr><td>{@code QUARKUS_REDIS_HOSTS}</td><td>unset</td><td>When set, no embedded Redis is started; every
 *       {@code QUARKUS_REDIS_*} variable reaches the services unchanged.</td></tr>
 * </table>
 *
 * <p>Both services also get {@code QUARKUS_HTTP_PORT}, {@code OPS_TOKEN}, and the database and Redis settings; OPS
 * also gets {@code TRADEPLANE_ENGINES_PAPER_URL} pointing at the engine. Tokens and passwords are never logged; the
 * OPS token appears once, in the banner.
 *
 * <p>System property {@code tradeplane.root}: the repository root holding {@code engine-service/} and
 * {@code ops-service/} (default: the working directory).
 */
public final class Launcher {

    private static final String USAGE = """
            Usage: bin/tradeplane <command>

              up     Build what is missing, then run PostgreSQL, Redis, the engine and OPS in the foreground.
                     Ctrl-C stops everything. `bin/tradeplane up --rebuild` rebuilds first.
              help   Show this text.

            Settings come from environment variables (OPS_TOKEN, TRADEPLANE_HOME, ENGINE_PORT, OPS_PORT,
            TRADEPLANE_BIND, TRADEPLANE_PG_PORT, TRADEPLANE_REDIS_PORT, QUARKUS_DATASOURCE_*, QUARKUS_REDIS_HOSTS);
            see README.md.""";

    private Launcher() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        int status = run(args, System.getenv());
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command and returns the process exit status. */
    static int run(String[] args, Map<String, String> env) {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "help", "-h", "--help" -> {
                System.out.println(USAGE);
                return 0;
            }
            case "up" -> {
                return up(env);
            }
            default -> {
                System.err.println("Unknown command '" + command + "'." + System.lineSeparator() + USAGE);
                return 2;
            }
        }
    }

    private static int up(Map<String, String> env) {
        Console.configureLogging();
        ShutdownSequence.reportTo(Console::info);
        try {
            LaunchSettings settings = LaunchSettings.from(env, repositoryRoot(),
                    Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
            int status = new UpCommand(settings).run();
            if (status != 0) {
                ShutdownSequence.runAll();
            }
            return status;
        } catch (RuntimeException e) {
            if (ShutdownSequence.isShuttingDown()) {
                return 0; // Ctrl-C during startup: the failure is a consequence, the shutdown hook cleans up
            }
            if (e instanceof LaunchException) {
                Console.error(e.getMessage());
            } else {
                Console.error("Unexpected failure: " + e);
                e.printStackTrace();
            }
            ShutdownSequence.runAll();
            return 1;
        }
    }

    private static Path repositoryRoot() {
        String root = System.getProperty("tradeplane.root");
        return Path.of(root == null || root.isBlank() ? System.getProperty("user.dir") : root);
    }
}
