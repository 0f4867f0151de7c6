package dev.tradeplane.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.embedded.core.ExecutableProvider;

/**
 * An embedded Redis (the {@code redis-server} 6.2 binary bundled in codemonstur's embedded-redis) listening on
 * 127.0.0.1 only, as a child process of this JVM.
 *
 * <p>With a data directory it persists through the append-only file, fsynced on every write
 * ({@code appendonly yes}, {@code appendfsync always}), so data survives a restart. Without one it keeps nothing
 * on disk ({@code save ""}, {@code appendonly no}).
 *
 * <p>This class runs the binary itself instead of using embedded-redis' {@code RedisServer}, which adds a JVM
 * shutdown hook per start (stopping Redis concurrently with, rather than after, the services using it) and stops
 * draining the server's output once it is ready.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedRedisServer.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final String READY_LINE = "Ready to accept connections";

    private static File binary;

    private final Process process;
    private final int port;
    private final Path dataDirectory;
    private final Path configFile;
    private final OutputPump output;
    private final ShutdownSequence.Step shutdownStep;
    private boolean stopped;

    private EmbeddedRedisServer(Process process, int port, Path dataDirectory, Path configFile, OutputPump output) {
        this.process = process;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.configFile = configFile;
        this.output = output;
        this.shutdownStep = ShutdownSequence.register("embedded Redis on " + Ports.LOOPBACK + ":" + port, this::stop);
    }

    /**
     * Starts a server and waits until it accepts commands (after it loaded its data).
     *
     * @param dataDirectory where the append-only file lives, created when missing; {@code null} for no persistence
     * @param port          TCP port on 127.0.0.1, or 0 for a free one
     * @throws IllegalStateException if the port is taken or Redis does not start
     */
    public static EmbeddedRedisServer start(Path dataDirectory, int port) {
        int chosenPort = port == 0 ? Ports.freePort() : port;
        if (!Ports.isFree(Ports.LOOPBACK, chosenPort)) {
            throw new IllegalStateException("Cannot start embedded Redis: port " + chosenPort + " on "
                    + Ports.LOOPBACK + " is already in use");
        }
        Path directory = dataDirectory == null ? null : createDirectory(dataDirectory.toAbsolutePath().normalize());
        Path configFile = writeConfig(chosenPort, directory);
        Process process;
        try {
            process = new ProcessBuilder(OwnSession.wrap(List.of(binary().getAbsolutePath(), configFile.toString())))
                    .directory(directory == null ? configFile.getParent().toFile() : directory.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            deleteQuietly(configFile);
            throw new UncheckedIOException("Could not run the embedded redis-server binary", e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        OutputPump output = OutputPump.start("redis-" + chosenPort, process.getInputStream(), line -> {
            if (line.contains(READY_LINE)) {
                ready.complete(null);
            }
            LOG.log(System.Logger.Level.DEBUG, "[redis] {0}", line);
        }, 40);
        process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException("redis-server exited")));
        try {
            ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            process.toHandle().destroyForcibly();
            output.awaitEnd(Duration.ofSeconds(2));
            deleteQuietly(configFile);
            String why = e instanceof TimeoutException ? "was not ready within " + STARTUP_TIMEOUT.toSeconds() + " s"
                    : "exited before it was ready";
            throw new IllegalStateException("Embedded Redis on " + Ports.LOOPBACK + ":" + chosenPort + " " + why
                    + ". Its last output:" + System.lineSeparator() + output.tailText());
        }
        try {
            return new EmbeddedRedisServer(process, chosenPort, directory, configFile, output);
        } catch (RuntimeException e) {
            process.toHandle().destroyForcibly();
            deleteQuietly(configFile);
            throw e;
        }
    }

    /** Where to reach this server. */
    public RedisEndpoint endpoint() {
        return new RedisEndpoint(Ports.LOOPBACK, port);
    }

    /** The data directory, or empty when nothing is persisted. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** Process id of {@code redis-server}. */
    public long pid() {
        return process.pid();
    }

    /** Stops Redis with SIGTERM (it fsyncs its append-only file first), or SIGKILL after 15 s. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        shutdownStep.cancel();
        process.toHandle().destroy(); // not Process.destroy(), which would also close the output pipe
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Embedded Redis on port " + port + " did not stop within "
                        + STOP_GRACE.toSeconds() + " s; killing it");
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
        output.awaitEnd(Duration.ofSeconds(2));
        deleteQuietly(configFile);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedRedisServer[" + Ports.LOOPBACK + ":" + port + ", data="
                + (dataDirectory == null ? "none" : dataDirectory) + "]";
    }

    /** The bundled binary, extracted once per JVM into a temporary directory deleted at exit. */
    private static synchronized File binary() throws IOException {
        if (binary == null) {
            binary = ExecutableProvider.newJarResourceProvider().get();
        }
        return binary;
    }

    private static Path writeConfig(int port, Path dataDirectory) {
        List<String> lines = new ArrayList<>(List.of(
                "bind " + Ports.LOOPBACK,
                "port " + port,
                "protected-mode yes",
                "daemonize no",
                "logfile \"\"",
                "save \"\""));
        if (dataDirectory == null) {
            lines.add("appendonly no");
        } else {
            lines.add("dir " + quote(dataDirectory.toString()));
            lines.add("appendonly yes");
            lines.add("appendfsync always");
        }
        try {
            Path file = Files.createTempFile("tradeplane-redis-" + port + "-", ".conf");
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write a Redis configuration file", e);
        }
    }

    /** A Redis configuration string literal. */
    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static Path createDirectory(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the Redis data directory " + directory, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temp file is harmless
        }
    }
}
