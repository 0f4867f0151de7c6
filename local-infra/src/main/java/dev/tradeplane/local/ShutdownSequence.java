package dev.tradeplane.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Stops what this library started, newest first, from a single JVM shutdown hook.
 *
 * <p>Each server and child process registers itself when it starts and cancels its registration when it is stopped.
 * One hook (rather than one per server, as zonky and embedded-redis would add) keeps the order right: shutdown hooks
 * run concurrently, so independent hooks could stop PostgreSQL while a service using it is still draining.
 */
final class ShutdownSequence {

    private static final System.Logger LOG = System.getLogger(ShutdownSequence.class.getName());

    /** Newest first. Guarded by {@code ShutdownSequence.class}. */
    private static final Deque<Step> STEPS = new ArrayDeque<>();
    private static boolean hookInstalled;
    private static boolean shuttingDown;
    private static volatile Consumer<String> reporter =
            message -> LOG.log(System.Logger.Level.INFO, message);

    private ShutdownSequence() {
    }

    /** A registered step; {@link #cancel()} it once the thing it stops was stopped some other way. */
    static final class Step {
        private final String name;
        private final Runnable action;

        private Step(String name, Runnable action) {
            this.name = name;
            this.action = action;
        }

        /** Removes this step; idempotent. */
        void cancel() {
            synchronized (ShutdownSequence.class) {
                STEPS.remove(this);
            }
        }
    }

    /**
     * Registers {@code action}, run at JVM exit (or by {@link #runAll()}) before every step registered earlier.
     *
     * @param name shown in the log line "Stopping {name}"
     * @throws IllegalStateException if the JVM is already shutting down
     */
    static Step register(String name, Runnable action) {
        synchronized (ShutdownSequence.class) {
            if (shuttingDown) {
                throw new IllegalStateException("The JVM is shutting down; not starting " + name);
            }
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::onJvmExit, "tradeplane-shutdown"));
                hookInstalled = true;
            }
            Step step = new Step(name, action);
            STEPS.push(step);
            return step;
        }
    }

    /**
     * Where the "Stopping ..." lines go; a System.Logger by default. The launcher prints them instead, because
     * java.util.logging resets itself in a shutdown hook of its own, concurrently with ours, and drops them.
     */
    static void reportTo(Consumer<String> newReporter) {
        reporter = newReporter;
    }

    /** Runs every registered step now, newest first, logging one line per step. Failures are logged, not thrown. */
    static void runAll() {
        while (true) {
            Step step;
            synchronized (ShutdownSequence.class) {
                step = STEPS.poll();
            }
            if (step == null) {
                return;
            }
            reporter.accept("Stopping " + step.name);
            try {
                step.action.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "Stopping " + step.name + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Whether the JVM's shutdown hooks have started. */
    static boolean isShuttingDown() {
        synchronized (ShutdownSequence.class) {
            return shuttingDown;
        }
    }

    private static void onJvmExit() {
        synchronized (ShutdownSequence.class) {
            shuttingDown = true;
        }
        runAll();
    }
}
