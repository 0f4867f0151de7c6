package dev.tradeplane.local;

/** A problem the launcher reports to the user as a message, without a stack trace. */
final class LaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
