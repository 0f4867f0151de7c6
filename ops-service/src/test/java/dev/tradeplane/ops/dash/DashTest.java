package dev.tradeplane.ops.dash;

import static dev.tradeplane.ops.support.Api.as;
import static dev.tradeplane.ops.support.Api.authed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dashboard's page is served without a token (it asks for one); its data needs one; the CSV adds up. */
@QuarkusTest
class DashTest {

    @Inject
    Pool pool;

    @Inject
    DailyExport export;

    @Test
    void thePageIsServedAndItsDataNeedsAToken() {
        given().get("/dash/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("<script src=\"dash.js\">"));
        given().get("/dash/dash.js").then().statusCode(200).body(containsString("/dash/pnl"));
        given().get("/dash/pnl").then().statusCode(401).contentType("application/problem+json");
        JsonPath d = as("viewer", "read-only").get("/dash/pnl").then().statusCode(200).extract().jsonPath();
        assertTrue(d.getList("models.model").contains("trend-follower"), d.prettify());
        assertEquals(List.of(), d.getList("engines_unreachable"));
    }

    @Test
    void theCsvOfADayHasTheRealizedPnlFeesFillsAndVolumeOfEachModelAndVenue() throws Exception {
        String model = "csv-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate day = LocalDate.of(2026, 3, 10);
        // Position events before and during the day, and two fills during it.
        insert("position.changed", "2026-03-09T12:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"symbol\":\"BTCUSDT.PAPER\",\"realized_pnl\":\"10\"}");
        insert("position.changed", "2026-03-10T09:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"symbol\":\"BTCUSDT.PAPER\",\"realized_pnl\":\"12.5\"}");
        insert("position.changed", "2026-03-10T10:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"symbol\":\"ETHUSDT.PAPER\",\"realized_pnl\":\"-1\"}");
        insert("position.changed", "2026-03-11T01:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"symbol\":\"BTCUSDT.PAPER\",\"realized_pnl\":\"99\"}");
        insert("order.filled", "2026-03-10T09:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"quantity\":\"0.01\",\"price\":\"65000\",\"fee\":\"0.65\"}");
        insert("order.filled", "2026-03-10T10:00:00Z", "{\"model\":\"" + model + "\",\"venue\":\"PAPER\",\"quantity\":\"1\",\"price\":\"3200\",\"fee\":\"3.2\"}");

        String csv = authed().queryParam("date", day.toString()).get("/dash/pnl.csv").then().statusCode(200)
                .contentType(startsWith("text/csv")).header("Content-Disposition", containsString("pnl-2026-03-10.csv")).extract().asString();
        assertTrue(csv.startsWith(DashboardService.CSV_HEADER + "\n"), csv);
        // During the day: 12.5 - 10 on BTC, -1 on ETH = 1.5; in total at its end: 12.5 - 1 = 11.5; volume 650 + 3200.
        assertTrue(csv.contains("\n2026-03-10," + model + ",PAPER,1.5,11.5,3.85,2,3850\n"), csv);

        authed().queryParam("date", "10/03/2026").get("/dash/pnl.csv").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("date"));
        authed().queryParam("date", LocalDate.now(ZoneOffset.UTC).plusDays(2).toString()).get("/dash/pnl.csv").then().statusCode(400);

        Path file = export.write(day).await().atMost(Duration.ofSeconds(10));
        assertEquals(csv, Files.readString(file), "the scheduled file is the same CSV");
    }

    private void insert(String type, String at, String payload) {
        String id = UUID.randomUUID().toString();
        String event = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":\"" + at + "\",\"source\":\"test\",\"payload\":" + payload + "}";
        pool.preparedQuery("INSERT INTO ops.events (id, type, source, occurred_at, event) VALUES ($1, $2, 'test', $3, $4::text::jsonb)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id), type, java.time.OffsetDateTime.parse(at), event))
                .await().atMost(Duration.ofSeconds(5));
    }
}
