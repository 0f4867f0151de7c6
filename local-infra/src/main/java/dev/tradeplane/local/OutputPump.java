package dev.tradeplane.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a child process' output line by line on a daemon thread, hands each line to a sink and keeps the last lines
 * for error messages. Draining the pipe matters: a child whose pipe fills up blocks on its next write.
 */
final class OutputPump {

    private final Deque<String> tail = new ArrayDeque<>();
    private final int tailLines;
    private final Thread thread;

    private OutputPump(String threadName, InputStream stream, Consumer<String> sink, int tailLines, Runnable atEnd) {
        this.tailLines = tailLines;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> {
            try {
                pump(stream, sink);
            } finally {
                atEnd.run();
            }
        });
    }

    /** Starts pumping {@code stream} into {@code sink}, remembering the last {@code tailLines} lines. */
    static OutputPump start(String threadName, InputStream stream, Consumer<String> sink, int tailLines) {
        return start(threadName, stream, sink, tailLines, () -> { });
    }

    /** Like {@link #start(String, InputStream, Consumer, int)}, running {@code atEnd} once the stream has ended. */
    static OutputPump start(String threadName, InputStream stream, Consumer<String> sink, int tailLines,
            Runnable atEnd) {
        OutputPump pump = new OutputPump(threadName, stream, sink, tailLines, atEnd);
        pump.thread.start();
        return pump;
    }

    /** The last lines read so far, oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    /** The last lines as one block of text for an error message, or a note that there was no output. */
    String tailText() {
        List<String> lines = tail();
        return lines.isEmpty() ? "(no output)" : String.join(System.lineSeparator(), lines);
    }

    /** Waits up to {@code timeout} for the stream to end (it ends when the process exits). */
    void awaitEnd(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(InputStream stream, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                remember(line);
                try {
                    sink.accept(line);
                } catch (RuntimeException e) {
                    // A broken sink must not stop the draining, or the child would block.
                }
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; nothing left to read.
        }
    }

    private void remember(String line) {
        synchronized (tail) {
            if (tail.size() == tailLines) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }
}
