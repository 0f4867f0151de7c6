package dev.tradeplane.ops.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** REST Assured with OPS' test token, and helpers to see what a request wrote. */
public final class Api {

    public static final String TOKEN = "ops-test-token-0123456789";
    public static final String ADMIN_TOKEN = "ops-admin-token-0123456789";

    private Api() {}

    public static RequestSpecification authed() {
        return given().header("X-OPS-TOKEN", TOKEN).contentType(ContentType.JSON);
    }

    /** A request as the holder of a JWT with these groups. */
    public static RequestSpecification as(String subject, String... groups) {
        return given().header("Authorization", "Bearer " + Jwts.token(subject, groups)).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return given().header("X-OPS-TOKEN", ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    public static String signalId() {
        return "s-" + UUID.randomUUID();
    }

    public static String marketSignal(String id, String quantity) {
        return "{\"signal_id\":\"" + id + "\",\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"quantity\":\"" + quantity + "\"}";
    }

    /**
     * The sum of the Prometheus samples named {@code name} (with or without labels) whose labels include each of
     * {@code labels}; 0 when there is none yet.
     */
    public static double metricSum(String name, String... labels) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " ")) && java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * Row counts of what a signal may write: its row in {@code signals}, and its {@code signal.*} events in the outbox.
     * Other events in the outbox are not counted: other work (a reallocation after an earlier test's model change, a
     * circuit change) writes there at its own time.
     */
    public static Map<String, Long> counts(Pool pool) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("signals", count(pool, "SELECT count(*) AS n FROM ops.signals"));
        counts.put("outbox signal.*", count(pool, "SELECT count(*) AS n FROM ops.outbox WHERE type LIKE 'signal.%'"));
        return counts;
    }

    private static long count(Pool pool, String sql) {
        return pool.query(sql).execute().map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(5));
    }
}
