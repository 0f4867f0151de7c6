package dev.tradeplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Small TCP port helpers. */
public final class Ports {

    /** The address everything local binds to. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * Whether something accepts TCP connections at {@code host:port}.
     *
     * @param timeout how long one connection attempt may take
     * @return {@code true} if a connection could be opened (it is closed at once)
     */
    public static boolean isOpen(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a server could bind {@code host:port} now, i.e. nothing listens there already.
     * Unlike {@link #isOpen}, this also notices a listener on a wildcard address.
     */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers do: a port in TIME_WAIT counts as free
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago. Another process may still take it before the caller binds
     * it; that is unlikely on a developer machine, and the servers started with it then fail with a clear error.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port on " + LOOPBACK, e);
        }
    }
}
