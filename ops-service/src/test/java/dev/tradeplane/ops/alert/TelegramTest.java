package dev.tradeplane.ops.alert;

import static dev.tradeplane.ops.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.support.FakeTelegram;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Alerts reach a chat through the Bot API (a local fake of it): what is sent, that a 429 is waited out with its
 * retry_after, and that repeats within the window are sent once and then counted.
 */
@QuarkusTest
class TelegramTest {

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "tradeplane.events.stream")
    String stream;

    @Test
    void aKillSwitchTripReachesTheChatEvenThroughA429() {
        String reason = "drill-" + UUID.randomUUID();
        FakeTelegram.tooManyRequests(reason, 1, 1);
        publish("risk.kill_switch_tripped", "engine", "{\"active\":true,\"reason\":\"" + reason + "\",\"flatten\":true,\"tripped_by\":\"token:admin\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> !FakeTelegram.delivered(reason).isEmpty());
        List<FakeTelegram.Request> mine = FakeTelegram.REQUESTS.stream().filter(r -> r.body().path("text").asText().contains(reason)).toList();
        assertEquals(List.of(429, 200), mine.stream().map(FakeTelegram.Request::status).toList());
        assertTrue(!mine.get(1).at().isBefore(mine.get(0).at().plusMillis(900)), "waited retry_after: " + mine);
        String text = mine.get(1).body().path("text").asText();
        assertTrue(text.startsWith("KILL SWITCH TRIPPED at engine: " + reason), text);
        assertTrue(text.contains("by token:admin, closing every position"), text);
        assertEquals("-100200300", mine.get(1).body().path("chat_id").asText());
    }

    @Test
    void theSameAlertWithinTheWindowIsSentOnceThenCounted() {
        String policy = "storm-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 4; i++) {
            publish("alert.raised", "ops", "{\"channel\":\"telegram\",\"source\":\"policy:" + policy + "\",\"policy\":\"" + policy
                    + "\",\"message\":\"" + policy + ": " + (i * 10) + " rejects\",\"model\":\"m1\",\"at\":\"" + Instant.now() + "\"}");
        }
        publish("alert.raised", "ops", "{\"channel\":\"log\",\"policy\":\"" + policy + "\",\"message\":\"" + policy + " only in the log\"}");
        await().atMost(Duration.ofSeconds(15)).until(() -> FakeTelegram.delivered(policy).size() == 2);
        List<String> texts = FakeTelegram.delivered(policy);
        assertEquals(policy + ": 10 rejects", texts.get(0));
        assertEquals(policy + ": 40 rejects\n(repeated 3 more times in 3 s)", texts.get(1));
        assertTrue(texts.stream().noneMatch(t -> t.contains("only in the log")));
    }

    @Test
    void aPromotionAndAGovernanceActionAreSent() {
        String name = "tg-" + UUID.randomUUID().toString().substring(0, 8);
        as("alice", "ops").body("{\"name\":\"" + name + "\",\"target_weight\":\"1\"}").post("/models").then().statusCode(201);
        as("alice", "ops").post("/models/" + name + "/promote?reason=ready").then().statusCode(200).body("status", equalTo("active"));
        await().atMost(Duration.ofSeconds(15)).until(() -> FakeTelegram.delivered("Model " + name + " promoted, now ACTIVE\nby jwt:alice: ready").size() == 1);
        as("cleanup", "ops").delete("/models/" + name);

        publish("governance.action", "ops", "{\"policy\":\"p-" + name + "\",\"action\":\"pause\",\"subject\":\"model:" + name + "\",\"result\":\"ok\","
                + "\"detail\":\"model " + name + " active -> paused\",\"trigger\":{\"summary\":\"drawdown 7.5 above 5\"}}");
        await().atMost(Duration.ofSeconds(15)).until(() -> FakeTelegram.delivered("Policy p-" + name + ": pause model:" + name + " -> ok\n"
                + "model " + name + " active -> paused\nbecause drawdown 7.5 above 5").size() == 1);
    }

    private void publish(String type, String source, String payload) {
        dev.tradeplane.ops.support.Bus.publish(redis, stream, type, source, payload);
    }
}
