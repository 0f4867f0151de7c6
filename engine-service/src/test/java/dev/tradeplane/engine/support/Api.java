package dev.tradeplane.engine.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** REST Assured with the engine's test token. */
public final class Api {

    public static final String TOKEN = "engine-test-token-0123456789";

    private Api() {}

    public static RequestSpecification authed() {
        return given().header("X-OPS-TOKEN", TOKEN).contentType(ContentType.JSON);
    }

    /** A model name of its own per test, so tests never see each other's positions or counters. */
    public static String uniqueModel() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String key() {
        return "k-" + UUID.randomUUID();
    }

    /** The sum of the Prometheus samples of counter {@code name} whose labels include each of {@code labels}. */
    public static double metricSum(String name, String... labels) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    public static String marketOrder(String side, String quantity, String model) {
        return """
                {"symbol":"BTCUSDT.PAPER","side":"%s","type":"MARKET","quantity":"%s","model":"%s"}
                """.formatted(side, quantity, model);
    }
}
