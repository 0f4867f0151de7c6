package dev.tradeplane.engine.order.rest;

import static dev.tradeplane.engine.support.Api.authed;
import static dev.tradeplane.engine.support.Api.key;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tradeplane.engine.support.Api;
import dev.tradeplane.engine.support.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every kind of bad input answers a 4xx problem+json and writes nothing. */
@QuarkusTest
class BadInputTest {

    @Inject
    Pool pool;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON           | {"symbol":"BTCUSDT.PAPER",                                                            | 400 | malformed-json  |
            not an object            | [1,2,3]                                                                               | 400 | malformed-json  |
            unknown field            | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1","qty":"1"}      | 400 | invalid-request | qty
            unknown symbol           | {"symbol":"DOGEUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1"}               | 400 | invalid-request | symbol
            unknown venue            | {"symbol":"BTCUSDT.NOWHERE","side":"BUY","type":"MARKET","quantity":"1"}              | 400 | invalid-request | symbol
            symbol without venue     | {"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"1"}                      | 400 | invalid-request | symbol
            zero quantity            | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0"}                | 400 | invalid-request | quantity
            negative quantity        | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"-1"}               | 400 | invalid-request | quantity
            NaN quantity             | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"NaN"}              | 400 | invalid-request | quantity
            Infinity quantity        | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"Infinity"}         | 400 | invalid-request | quantity
            absurd quantity          | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1e30"}             | 400 | invalid-request | quantity
            too many decimals        | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"0.0000000000000000001"} | 400 | invalid-request | quantity
            huge exponent            | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":1e999999999}        | 400 | invalid-request | quantity
            both quantities          | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1","quote_quantity":"10"} | 400 | invalid-request | quantity
            neither quantity         | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET"}                               | 400 | invalid-request | quantity
            bad side                 | {"symbol":"BTCUSDT.PAPER","side":"HOLD","type":"MARKET","quantity":"1"}               | 400 | invalid-request | side
            limit without price      | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"LIMIT","quantity":"1"}                 | 400 | invalid-request | price
            market with price        | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1","price":"1"}    | 400 | invalid-request | price
            market GTC               | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1","time_in_force":"GTC"} | 400 | invalid-request | time_in_force
            duplicate field          | {"symbol":"BTCUSDT.PAPER","side":"BUY","type":"MARKET","quantity":"1","quantity":"9"} | 400 | malformed-json  |
            """)
    void refusedWithAProblemAndNothingWritten(String name, String body, int status, String type, String field) {
        Map<String, Long> before = Tables.counts(pool);
        Response r = authed().header("Idempotency-Key", key()).body(body).post("/orders");
        r.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://tradeplane.dev/problems/" + type))
                .body("title", notNullValue()).body("detail", notNullValue()).body("status", equalTo(status))
                .body("detail", not(org.hamcrest.Matchers.containsString("java.")))
                .body("detail", not(org.hamcrest.Matchers.containsString("Exception")));
        if (field != null) {
            r.then().body("errors.field", hasItem(field));
        }
        assertEquals(before, Tables.counts(pool), name + " wrote something");
    }

    @Test
    void anOversizedBodyIs413() {
        Map<String, Long> before = Tables.counts(pool);
        String huge = "{\"symbol\":\"BTCUSDT.PAPER\",\"model\":\"" + "x".repeat(100_000) + "\"}";
        authed().header("Idempotency-Key", key()).body(huge).post("/orders").then().statusCode(413)
                .contentType("application/problem+json").body("type", equalTo("https://tradeplane.dev/problems/payload-too-large"));
        assertEquals(before, Tables.counts(pool));
    }

    @Test
    void noIdempotencyKeyAndNoClientOrderIdIsRefused() {
        Map<String, Long> before = Tables.counts(pool);
        authed().body("{\"symbol\":\"BTCUSDT.PAPER\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.001\"}").post("/orders")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        assertEquals(before, Tables.counts(pool));
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        given().header("X-OPS-TOKEN", Api.TOKEN).contentType("text/plain").body("hello").post("/orders")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void withoutTheTokenEverythingButHealthAndMetricsIs401() {
        given().contentType("application/json").body("{}").post("/orders").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("https://tradeplane.dev/problems/unauthorized"));
        given().header("X-OPS-TOKEN", "wrong-token-wrong-token").get("/positions").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void unknownOrderAndBadFiltersAreClearProblems() {
        authed().get("/orders/00000000-0000-0000-0000-000000000000").then().statusCode(404).contentType("application/problem+json");
        authed().queryParam("status", "SLEEPING").get("/orders").then().statusCode(400).body("errors.field", hasItem("status"));
        authed().queryParam("limit", "0").get("/fills").then().statusCode(400).body("errors.field", hasItem("limit"));
        authed().get("/nowhere").then().statusCode(404).contentType("application/problem+json");
    }
}
