package dev.tradeplane.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts children in a session of their own, through util-linux' {@code setsid}, where it exists.
 *
 * <p>Ctrl-C in a terminal signals the whole foreground process group. Children in this JVM's group would all start
 * shutting down at once, the engine before OPS and Redis before both; in their own session, only this JVM gets the
 * signal, and {@link ShutdownSequence} stops them in order. {@code setsid} executes the command in place (a child of
 * the JVM is never a process group leader), so the process id stays that of the command. Without {@code setsid}
 * (e.g. on macOS) children simply stay in this JVM's group.
 */
final class OwnSession {

    private static final Optional<String> SETSID = find();

    private OwnSession() {
    }

    /** {@code command}, prefixed with {@code setsid} when available. */
    static List<String> wrap(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get());
        wrapped.addAll(command);
        return wrapped;
    }

    private static Optional<String> find() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        return List.of("/usr/bin/setsid", "/bin/setsid").stream()
                .filter(candidate -> Files.isExecutable(Path.of(candidate)))
                .findFirst();
    }
}
