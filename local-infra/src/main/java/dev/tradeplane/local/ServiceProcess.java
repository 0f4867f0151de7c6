package dev.tradeplane.local;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as a child JVM.
 *
 * <p>The child runs on the same {@code java} as this JVM, as {@code java [jvmOptions] -jar <jar>}, in the jar's
 * directory, with this JVM's environment plus the given variables. Its standard output and error are merged and
 * either printed with a {@code "[name] "} prefix or appended to a log file; the last 40 lines are kept for error
 * messages. A child still running when this JVM exits normally is stopped like {@link #close()} does.
 *
 * <p>On Linux the child runs in a session of its own, so that Ctrl-C in a terminal reaches only this JVM, which then
 * stops its children in order (see {@code OwnSession}).
 */
public final class ServiceProcess implements AutoCloseable {

    /** How long {@link #close()} waits after SIGTERM before SIGKILL. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

    private static final System.Logger LOG = System.getLogger(ServiceProcess.class.getName());
    private static final int TAIL_LINES = 40;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final OutputPump output;
    private final ShutdownSequence.Step shutdownStep;

    private ServiceProcess(String name, Process process, OutputPump output) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.shutdownStep = ShutdownSequence.register(name + " (pid " + process.pid() + ")",
                () -> stop(DEFAULT_STOP_GRACE));
        process.onExit().thenRun(shutdownStep::cancel); // a service that died needs no stopping
    }

    /**
     * Starts {@code quarkusRunJar} without extra JVM options.
     *
     * @see #start(String, Path, Map, Path, List)
     */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> env, Path logFile) {
        return start(name, quarkusRunJar, env, logFile, List.of());
    }

    /**
     * Starts {@code quarkusRunJar} as a child JVM.
     *
     * @param name          short name for log prefixes and messages, e.g. {@code "engine"}
     * @param quarkusRunJar the service's {@code quarkus-run.jar}
     * @param env           variables added to (or replacing) this JVM's environment
     * @param logFile       file the output is appended to (parent directories are created), or {@code null} to print
     *                      it to {@code System.out}, each line prefixed with {@code "[name] "}
     * @param jvmOptions    options placed before {@code -jar}, e.g. {@code -Xmx256m}
     * @throws IllegalArgumentException if the jar does not exist
     */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> env, Path logFile,
            List<String> jvmOptions) {
        Objects.requireNonNull(name, "name");
        Path jar = quarkusRunJar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("The " + name + " service jar does not exist: " + jar);
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(OwnSession.wrap(command))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(env);
        Sink sink = logFile == null ? Sink.console(name) : Sink.file(name, logFile);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            sink.atEnd().run();
            throw new UncheckedIOException("Could not start the " + name + " service: " + String.join(" ", command), e);
        }
        OutputPump output = OutputPump.start(name + "-output", process.getInputStream(), sink.lines(), TAIL_LINES,
                sink.atEnd());
        try {
            return new ServiceProcess(name, process, output);
        } catch (RuntimeException e) {
            process.toHandle().destroyForcibly();
            throw e;
        }
    }

    /**
     * Polls {@code healthUrl} until it answers HTTP 200.
     *
     * @throws ServiceNotReadyException (an {@link IllegalStateException}) if the process exits first or
     *                                  {@code timeout} passes; the message holds the last 40 lines of the service's
     *                                  output. A process that is still running is left so: {@link #close()} it
     */
    public void awaitReady(String healthUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl)).timeout(REQUEST_TIMEOUT).GET().build();
        String lastAnswer = "no answer yet";
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build()) {
            while (true) {
                if (!process.isAlive()) {
                    throw notReady("exited with code " + process.exitValue() + " before it was ready at " + healthUrl);
                }
                try {
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    lastAnswer = "HTTP " + response.statusCode();
                } catch (IOException e) {
                    lastAnswer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw notReady("was not ready at " + healthUrl + " within " + timeout.toSeconds()
                            + " s (last answer: " + lastAnswer + ")");
                }
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS); // returns early if it exits
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name + " to be ready", e);
        }
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** Whether the child JVM is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** Completes with the exit code when the child JVM exits, however it exits. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /** The last (up to 40) lines of output, oldest first. */
    public List<String> recentOutput() {
        return output.tail();
    }

    /**
     * Asks the service to stop (SIGTERM, which makes Quarkus shut down gracefully), waits up to {@code grace}, then
     * kills it (SIGKILL). Returns once the process has exited. Does nothing if it already has.
     */
    public void stop(Duration grace) {
        shutdownStep.cancel();
        if (process.isAlive()) {
            // Signal through the handle: Process.destroy() also closes our end of the output pipe, which would lose
            // the service's last lines (its shutdown log).
            process.toHandle().destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, name + " (pid " + pid() + ") did not stop within "
                            + grace.toSeconds() + " s; killing it");
                    kill();
                }
            } catch (InterruptedException e) {
                process.toHandle().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        output.awaitEnd(Duration.ofSeconds(2));
    }

    /** Kills the service at once (SIGKILL), as a crash would, and waits until it has exited. */
    public void kill() {
        shutdownStep.cancel();
        process.toHandle().destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        output.awaitEnd(Duration.ofSeconds(2));
    }

    /** {@link #stop(Duration) stop(Duration.ofSeconds(20))}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + ", pid " + pid() + (isAlive() ? ", running" : ", exited") + "]";
    }

    private ServiceNotReadyException notReady(String what) {
        output.awaitEnd(Duration.ofSeconds(2)); // let the last lines of a dead process arrive
        return new ServiceNotReadyException("The " + name + " service (pid " + pid() + ") " + what, output.tail());
    }

    /** The {@code java} that runs this JVM. */
    private static String javaExecutable() {
        Path fromJavaHome = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
        if (Files.isExecutable(fromJavaHome)) {
            return fromJavaHome.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("Cannot tell which java runs this JVM"));
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Where a child's output goes: each line, then {@code atEnd} once the output has ended. */
    private record Sink(Consumer<String> lines, Runnable atEnd) {

        static Sink console(String name) {
            String prefix = "[" + name + "] ";
            return new Sink(line -> System.out.println(prefix + line), () -> { });
        }

        /** Appends to {@code logFile}, flushing every line so that {@code tail -f} follows it. */
        static Sink file(String name, Path logFile) {
            BufferedWriter writer;
            try {
                Path parent = logFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the log file " + logFile + " for " + name, e);
            }
            return new Sink(line -> {
                try {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, () -> {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // nothing more to write anyway
                }
            });
        }
    }
}
