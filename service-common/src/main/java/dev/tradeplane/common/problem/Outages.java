package dev.tradeplane.common.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells an outage of a dependency (database, Redis, network) from a bug, so the caller gets 503 rather than 500. */
public final class Outages {

    private Outages() {}

    public static boolean isDatabaseOrNetworkOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof TimeoutException || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof java.net.SocketException) {
                return true;
            }
            String type = t.getClass().getName();
            String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith("io.vertx.sqlclient") || type.equals("io.vertx.core.VertxException")
                    || type.contains("NoStackTraceThrowable") || type.contains("AnnotatedConnectException")
                    || message.contains("connection refused") || message.contains("connection is closed")
                    || message.contains("closed connection") || message.contains("timeout")
                    || message.contains("the database system is") || message.contains("terminating connection")) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
