package dev.tradeplane.ops.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped policy loads; a wrong file is refused with every reason at once. */
class PolicyParserTest {

    @Test
    void everyShippedExampleLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("..", "policies"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "examples ship: " + files);
        for (Path file : files) {
            Policy p = assertDoesNotThrow(file);
            assertEquals(file.getFileName().toString().replace(".yaml", ""), p.name(), "the file is named after its policy");
            assertTrue(p.enabled());
        }
    }

    private static Policy assertDoesNotThrow(Path file) throws IOException {
        try {
            return PolicyParser.parse(Files.readString(file), file.getFileName().toString());
        } catch (PolicyParser.Invalid e) {
            throw new AssertionError(file + " is refused: " + e.errors());
        }
    }

    @Test
    void theFormsAreReadAsWritten() throws Exception {
        Policy p = PolicyParser.parse("""
                name: storm
                description: d
                enabled: true
                match:
                  type: order.*
                  where: {reject_reason: [MAX_*, DAILY_LOSS]}
                  threshold: {count: 3, window: 90s, per: venue}
                cooldown: 2h
                actions:
                  - pause: {scope: venue}
                  - kill_switch: {flatten: true}
                """, "storm.yaml");
        assertTrue(p.match().typeMatches("order.rejected"));
        assertEquals(new Policy.CountThreshold(3, Duration.ofSeconds(90), Policy.Per.VENUE), p.match().count());
        assertEquals(Duration.ofHours(2), p.cooldown());
        assertEquals(List.of(new Policy.Pause(Policy.Scope.VENUE), new Policy.KillSwitch(true)), p.actions());
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertTrue(p.match().whereMatches(m.readTree("{\"reject_reason\":\"max_position\"}")));
        assertTrue(p.match().whereMatches(m.readTree("{\"reject_reason\":\"DAILY_LOSS\"}")));
        assertTrue(!p.match().whereMatches(m.readTree("{\"reject_reason\":\"NO_LIQUIDITY\"}")));
        assertTrue(!p.match().whereMatches(m.readTree("{}")));

        Policy v = PolicyParser.parse("""
                name: dd
                description: d
                enabled: false
                match: {type: model.performance, threshold: {value: stats.max_drawdown_pct, above: 5.5}}
                actions: [{reduce_exposure: {factor: 0.25}}]
                """, "dd.yaml");
        assertEquals(new BigDecimal("5.5"), v.match().value().above());
        assertEquals(Duration.ofMinutes(15), v.cooldown(), "the default cooldown");
        assertEquals(List.of(new Policy.ReduceExposure(new BigDecimal("0.25"))), v.actions());
    }

    @Test
    void aWrongFileIsRefusedWithEveryReason() {
        PolicyParser.Invalid e = assertThrows(PolicyParser.Invalid.class, () -> PolicyParser.parse("""
                name: Bad Name
                enabled: yes please
                match:
                  type: order.exploded
                  threshold: {count: 0, value: realized_pnl}
                cooldown: 0s
                actions:
                  - pause: {scope: model}
                  - reduce_exposure: {factor: 1.5}
                  - launch: {}
                  - alert: {channel: email}
                extra: 1
                """, "bad.yaml"));
        String all = String.join("\n", e.errors());
        for (String expected : List.of("extra: unknown key", "name: required", "description: required", "enabled: required",
                "match.type: order.exploded is not an event type", "match.threshold: exactly one of the value form", "cooldown: a positive duration",
                "scope model needs a model", "reduce_exposure.factor: a number above 0 and below 1", "unknown action launch",
                "alert.channel: telegram or log", "alert.message: required")) {
            assertTrue(all.contains(expected), "expected \"" + expected + "\" in:\n" + all);
        }
    }

    @Test
    void modelActionsNeedAModelInTheContext() {
        PolicyParser.Invalid e = assertThrows(PolicyParser.Invalid.class, () -> PolicyParser.parse("""
                name: all-count
                description: d
                enabled: true
                match: {type: order.rejected, threshold: {count: 3, window: 1m}}
                actions: [{demote: {}}, {pause: {scope: venue}}]
                """, "x.yaml"));
        assertTrue(e.errors().stream().anyMatch(s -> s.contains("demote: needs a model")), e.errors().toString());
        assertTrue(e.errors().stream().anyMatch(s -> s.contains("scope venue needs a venue")), e.errors().toString());
        assertThrows(PolicyParser.Invalid.class, () -> PolicyParser.parse("- just\n- a list\n", "l.yaml"));
        assertThrows(PolicyParser.Invalid.class, () -> PolicyParser.parse("name: [broken\n", "b.yaml"));
    }
}
