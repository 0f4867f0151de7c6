package dev.tradeplane.local;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/** The launcher's own lines on the terminal, each prefixed with {@code [tradeplane]}. */
final class Console {

    static final String PREFIX = "[tradeplane] ";

    /** Strong references: java.util.logging keeps loggers only weakly, and would forget their levels. */
    private static final Logger[] CONFIGURED = new Logger[2];

    private Console() {
    }

    static void info(String message) {
        System.out.println(PREFIX + message);
    }

    static void error(String message) {
        System.out.flush();
        System.err.println(PREFIX + "ERROR: " + message);
    }

    /**
     * Routes java.util.logging (which the library's System.Logger and, through slf4j-jdk14, zonky log to) to stdout
     * in the same one-line form; keeps zonky to warnings, since it logs every line of PostgreSQL's output at INFO.
     */
    static void configureLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler(System.out));
        Logger zonky = Logger.getLogger("io.zonky");
        zonky.setLevel(Level.WARNING);
        CONFIGURED[0] = root;
        CONFIGURED[1] = zonky;
    }

    private static Handler handler(PrintStream stream) {
        StreamHandler handler = new StreamHandler(stream, new Formatter() {
            @Override
            public String format(LogRecord record) {
                String message = formatMessage(record);
                String level = record.getLevel().intValue() >= Level.WARNING.intValue()
                        ? record.getLevel().getName() + ": " : "";
                String cause = record.getThrown() == null ? "" : " (" + record.getThrown() + ")";
                return PREFIX + level + message + cause + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            @Override
            public synchronized void close() {
                flush(); // StreamHandler.close() would close System.out, and LogManager closes handlers at exit
            }
        };
        handler.setLevel(Level.ALL);
        return handler;
    }
}
