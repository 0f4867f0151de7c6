package dev.tradeplane.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tradeplane.local.Ports;
import dev.tradeplane.local.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards checked for real: a Prometheus (the Debian package) scrapes both running services on
 * loopback while they trade, then every PromQL expression of every dashboard in {@code grafana/dashboards/} is
 * evaluated through Prometheus' HTTP API and must return data; both services' {@code /q/metrics} pass
 * {@code promtool check metrics} (and are kept in {@code e2e-tests/target/}); {@code grafana/prometheus.yml} passes
 * {@code promtool check config}.
 */
class ObservabilityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path root;
    private static Path dir;
    private static Stack stack;
    private static Process prometheus;
    private static int prometheusPort;

    @BeforeAll
    static void start() throws Exception {
        root = Path.of(System.getProperty("tradeplane.root", "..")).toAbsolutePath().normalize();
        stack = new Stack(TestInfrastructure.postgres("tradeplane_test_e2e"), TestInfrastructure.redis(), Map.of()).start();
        dir = Files.createTempDirectory("tradeplane-prometheus");
        prometheusPort = Ports.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: tradeplane-engine
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels: {service: engine}
                  - job_name: tradeplane-ops
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels: {service: ops}
                """.formatted(stack.enginePort, stack.opsPort));
        prometheus = new ProcessBuilder(tool("prometheus"), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(get("/-/ready")) == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void everyDashboardQueryReturnsDataWhileTheServicesTrade() throws Exception {
        trade();
        // Rates and increases need two samples of every series, inside their window.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !query("risk_rejects_total offset 3s").isEmpty() && !query("fills_total offset 3s").isEmpty());

        Map<String, String> failures = new LinkedHashMap<>();
        int checked = 0;
        for (Map.Entry<String, String> e : dashboardQueries().entrySet()) {
            checked++;
            JsonNode result = query(e.getValue());
            if (result.isEmpty()) {
                failures.put(e.getKey(), e.getValue());
            }
        }
        assertTrue(checked >= 30, "the dashboards hold the expressions: " + checked);
        assertEquals(Map.of(), failures, "dashboard expressions that returned no data (panel: expression)");

        Map<String, String> lint = new LinkedHashMap<>();
        for (String url : List.of(stack.engineUrl(), stack.opsUrl())) {
            // The Prometheus text format (what Prometheus asks for first, and what promtool reads), kept as an artefact.
            Path file = root.resolve("e2e-tests/target/metrics-" + (url.equals(stack.engineUrl()) ? "engine" : "ops") + ".txt");
            Files.writeString(file, body(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).header("Accept", "text/plain; version=0.0.4").build()));
            Process check = new ProcessBuilder(tool("promtool"), "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(30, TimeUnit.SECONDS));
            if (check.exitValue() != 0) {
                lint.put(url, out);
            }
        }
        assertEquals(Map.of(), lint, "promtool check metrics");
        Process config = new ProcessBuilder(tool("promtool"), "check", "config", root.resolve("grafana/prometheus.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(config.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, config.exitValue(), "promtool check config grafana/prometheus.yml:\n" + out);
    }

    /** Fills, a replayed signal, risk rejects, a kill switch trip and reset: every kind of series the dashboards show. */
    private static void trade() {
        for (int i = 0; i < 12; i++) {
            ops().body(signal("obs-" + UUID.randomUUID(), i % 2 == 0 ? "BUY" : "SELL", "0.001")).post("/strategy/signal").then().statusCode(202);
        }
        String id = "obs-" + UUID.randomUUID();
        ops().body(signal(id, "BUY", "0.001")).post("/strategy/signal").then().statusCode(202);
        ops().body(signal(id, "BUY", "0.001")).post("/strategy/signal").then().statusCode(202).header("Idempotent-Replayed", "true");

        Map<String, Object> limits = new HashMap<>(engine().get("/risk/limits").then().statusCode(200).extract().jsonPath().getMap("$"));
        @SuppressWarnings("unchecked")
        Map<String, Object> global = limits.get("global") == null ? new HashMap<>() : new HashMap<>((Map<String, Object>) limits.get("global"));
        Object before = global.get("max_order_quantity");
        global.put("max_order_quantity", "0.002");
        limits.put("global", global);
        engine().body(limits).put("/risk/limits").then().statusCode(200);
        ops().body(signal("obs-" + UUID.randomUUID(), "BUY", "0.01")).post("/strategy/signal").then().statusCode(422)
                .body("reason", equalTo("MAX_ORDER_QUANTITY"));
        Map<String, Object> restored = new HashMap<>(engine().get("/risk/limits").then().extract().jsonPath().getMap("$"));
        @SuppressWarnings("unchecked")
        Map<String, Object> g = new HashMap<>((Map<String, Object>) restored.get("global"));
        g.put("max_order_quantity", before);
        restored.put("global", g);
        engine().body(restored).put("/risk/limits").then().statusCode(200);

        engine().body("{\"reason\":\"observability drill\",\"flatten\":false}").post("/risk/kill-switch").then().statusCode(200);
        engine().delete("/risk/kill-switch").then().statusCode(200);
        for (int i = 0; i < 4; i++) {
            ops().body(signal("obs-" + UUID.randomUUID(), i % 2 == 0 ? "BUY" : "SELL", "0.001")).post("/strategy/signal").then().statusCode(202);
        }
    }

    /** Every {@code expr} of every panel (nested rows too) of every dashboard, keyed "file / panel / n". */
    private static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(root.resolve("grafana/dashboards"))) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            collect(f.getFileName().toString(), JSON.readTree(f.toFile()).path("panels"), out);
        }
        return out;
    }

    private static void collect(String file, JsonNode panels, Map<String, String> out) {
        for (JsonNode panel : panels) {
            collect(file, panel.path("panels"), out);
            int n = 0;
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.put(file + " / " + panel.path("title").asText() + " / " + (++n), target.get("expr").asText());
                }
            }
        }
    }

    private static JsonNode query(String promql) throws IOException, InterruptedException {
        String answer = body(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        JsonNode json = JSON.readTree(answer);
        if (!"success".equals(json.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + promql + ": " + answer);
        }
        return json.path("data").path("result");
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path)).timeout(Duration.ofSeconds(10)).build();
    }

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A Prometheus tool from the PATH (the Debian package prometheus; `bash .ci/run` installs it). */
    private static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed: install the Debian package prometheus (bash .ci/run does)");
    }

    private static RequestSpecification ops() {
        return given().baseUri(stack.opsUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }

    private static RequestSpecification engine() {
        return given().baseUri(stack.engineUrl()).header("X-OPS-TOKEN", Stack.TOKEN).contentType(ContentType.JSON);
    }

    private static String signal(String id, String side, String quantity) {
        return "{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"" + side + "\",\"quantity\":\"" + quantity + "\"}";
    }
}
