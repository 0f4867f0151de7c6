package dev.tradeplane.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortIsFreeAndBindable() throws Exception {
        int port = Ports.freePort();
        assertTrue(port > 0 && port <= 65_535);
        assertTrue(Ports.isFree("127.0.0.1", port));
        assertFalse(Ports.isOpen("127.0.0.1", port, Duration.ofMillis(200)));
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertTrue(server.isBound());
            assertTrue(Ports.isOpen("127.0.0.1", port, Duration.ofSeconds(1)));
            assertFalse(Ports.isFree("127.0.0.1", port));
            assertNotEquals(port, Ports.freePort());
        }
    }
}
