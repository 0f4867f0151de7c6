package dev.tradeplane.local;

import java.util.List;

/**
 * Thrown by {@link ServiceProcess#awaitReady} when the service exits or times out before it is ready. The message
 * holds the reason and the service's last lines of output; both are also available separately.
 */
public final class ServiceNotReadyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final transient List<String> lastOutput;

    ServiceNotReadyException(String reason, List<String> lastOutput) {
        super(reason + ". Its last output:" + System.lineSeparator()
                + (lastOutput.isEmpty() ? "(no output)" : String.join(System.lineSeparator(), lastOutput)));
        this.reason = reason;
        this.lastOutput = List.copyOf(lastOutput);
    }

    /** What went wrong, in one sentence without the output, e.g. "The engine service (pid 42) exited with code 1 ...". */
    public String reason() {
        return reason;
    }

    /** The service's last lines of output (up to 40), oldest first. */
    public List<String> lastOutput() {
        return lastOutput;
    }
}
