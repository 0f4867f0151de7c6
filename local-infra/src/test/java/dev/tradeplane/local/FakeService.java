package dev.tradeplane.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for a packaged Quarkus service in tests: serves {@code /q/health/ready} and {@code /env?NAME} on
 * {@code QUARKUS_HTTP_HOST:QUARKUS_HTTP_PORT}. {@code FAKE_MODE}: {@code ok} (default), {@code exit} (prints and
 * exits with 3 at once), {@code unready} (answers 503), {@code stubborn} (ignores SIGTERM for a minute).
 */
public final class FakeService {

    private FakeService() {
    }

    public static void main(String[] args) throws IOException {
        String mode = System.getenv().getOrDefault("FAKE_MODE", "ok");
        System.out.println("fake service starting in mode " + mode);
        if (mode.equals("exit")) {
            System.err.println("fatal: cannot start");
            System.exit(3);
        }
        if (mode.equals("stubborn")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(60_000)));
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake service stopping")));
        }
        String host = System.getenv().getOrDefault("QUARKUS_HTTP_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(mode.equals("unready") ? 503 : 200, -1);
            exchange.close();
        });
        server.createContext("/env", exchange -> {
            String value = System.getenv(exchange.getRequestURI().getQuery());
            byte[] body = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(value == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("fake service listening on " + host + ":" + port);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
