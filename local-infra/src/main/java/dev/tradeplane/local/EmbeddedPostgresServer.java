package dev.tradeplane.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An embedded PostgreSQL (zonky's binaries, PostgreSQL 14) listening on 127.0.0.1 only, user {@code postgres}
 * with trust authentication (no password).
 *
 * <p>With a data directory the server is durable ({@code fsync} and {@code synchronous_commit} on; zonky turns both
 * off by default) and keeps its data across restarts. Without one it runs from a temporary directory that is deleted
 * on {@link #stop()}, with zonky's fast, non-durable settings.
 *
 * <p>PostgreSQL runs detached from this JVM ({@code pg_ctl start}); it is stopped by {@link #stop()}, or at the
 * latest when this JVM exits normally.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser zonky's {@code initdb} creates. */
    public static final String USER = "postgres";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final ShutdownSequence.Step shutdownStep;
    private boolean stopped;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.shutdownStep = ShutdownSequence.register("embedded PostgreSQL on " + Ports.LOOPBACK + ":"
                + postgres.getPort(), this::stop);
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where the database files live; created (and {@code initdb}-ed) when missing or empty,
     *                      reused as it is otherwise. {@code null} for a temporary directory removed on stop
     * @param port          TCP port on 127.0.0.1, or 0 for a free one
     * @throws IllegalStateException if the port is taken, an earlier server still runs on the data directory, or
     *                               PostgreSQL does not start
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        int chosenPort = port == 0 ? Ports.freePort() : port;
        if (!Ports.isFree(Ports.LOOPBACK, chosenPort)) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL: port " + chosenPort + " on "
                    + Ports.LOOPBACK + " is already in use");
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(chosenPort)
                .setRegisterShutdownHook(false) // ShutdownSequence stops it, in order
                .setPGStartupWait(STARTUP_TIMEOUT)
                .setServerConfig("listen_addresses", Ports.LOOPBACK);
        Path directory = null;
        if (dataDirectory != null) {
            directory = prepareDataDirectory(dataDirectory);
            builder.setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start embedded PostgreSQL on " + Ports.LOOPBACK + ":"
                    + chosenPort + (directory == null ? "" : " with data directory " + directory) + ": "
                    + rootCauseMessage(e), e);
        }
        try {
            return new EmbeddedPostgresServer(postgres, directory);
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    /** The endpoint of {@code database} on this server (user {@code postgres}, no password). */
    public PostgresEndpoint endpoint(String database) {
        return new PostgresEndpoint(Ports.LOOPBACK, port(), database, USER, "");
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return postgres.getPort();
    }

    /** The data directory, or empty when the server runs from a temporary one. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** Stops PostgreSQL (fast shutdown) and, for a temporary data directory, deletes it. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        shutdownStep.cancel();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL on port " + port(), e);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + Ports.LOOPBACK + ":" + port() + ", data="
                + (dataDirectory == null ? "temporary" : dataDirectory) + "]";
    }

    private static Path prepareDataDirectory(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the PostgreSQL data directory " + directory, e);
        }
        refuseIfStillRunning(directory);
        return directory;
    }

    /**
     * A PostgreSQL left over from a run whose JVM was killed keeps running (pg_ctl detaches it). Starting a second
     * one on the same directory would fail with a confusing pg_ctl error, so say what is going on instead.
     *
     * @throws IllegalStateException if a PostgreSQL server runs on {@code directory}
     */
    static void refuseIfStillRunning(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return; // PostgreSQL itself will judge the file
        }
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        boolean running = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().command())
                .filter(command -> command.contains("postgres"))
                .isPresent();
        if (running) {
            String port = lines.size() > 3 ? lines.get(3).trim() : "?";
            throw new IllegalStateException("A PostgreSQL server from an earlier run (pid " + pid + ", port " + port
                    + ") is still running on the data directory " + directory + ". Stop it with `kill -INT "
                    + pid + "` and try again.");
        }
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return cause == e ? message : e.getMessage() + " (" + message + ")";
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing
        }
    }
}
