package dev.tradeplane.ops.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.model.InstrumentId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StrategyRouterTest {

    private static final InstrumentId BTC = new InstrumentId("BTCUSDT", "PAPER");
    private static final List<Model> MODELS = List.of(
            Model.of("a", ModelStatus.ACTIVE, new BigDecimal("0.6")),
            Model.of("b", ModelStatus.CANARY, new BigDecimal("0.3")),
            Model.of("c", ModelStatus.ACTIVE, new BigDecimal("0.1")),
            Model.of("paused", ModelStatus.PAUSED, new BigDecimal("5")),
            Model.of("zero", ModelStatus.ACTIVE, BigDecimal.ZERO),
            new Model("eth-only", ModelStatus.ACTIVE, BigDecimal.TEN, BigDecimal.TEN, null, List.of("ETHUSDT.PAPER"), null, null, null, null,
                    null, 0, null, null),
            new Model("elsewhere", ModelStatus.ACTIVE, BigDecimal.TEN, BigDecimal.TEN, List.of("BINANCE"), null, null, null, null, null,
                    null, 0, null, null));

    private static StrategyRouter router(long seed) {
        return new StrategyRouter(null, () -> OptionalLong.of(seed));
    }

    @Test
    void picksFollowTheWeightsAndSkipModelsThatMayNotTrade() {
        StrategyRouter router = router(11);
        Map<String, Integer> counts = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(router.draw(MODELS, BTC).name(), 1, Integer::sum);
        }
        assertEquals(3, counts.size(), "only a, b and c are drawn: " + counts);
        assertShare(counts.get("a"), n, 0.6);
        assertShare(counts.get("b"), n, 0.3);
        assertShare(counts.get("c"), n, 0.1);
    }

    @Test
    void tenThousandRoutingsAtSeventyThirtyLandWithinTolerance() {
        List<Model> models = List.of(Model.of("seventy", ModelStatus.ACTIVE, new BigDecimal("70")),
                Model.of("thirty", ModelStatus.ACTIVE, new BigDecimal("30")), Model.of("resting", ModelStatus.PAUSED, new BigDecimal("70")));
        StrategyRouter router = router(42);
        Map<String, Integer> counts = new HashMap<>();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            counts.merge(router.draw(models, BTC).name(), 1, Integer::sum);
        }
        // One standard deviation of the share is sqrt(0.7 * 0.3 / 10,000) = 0.0046; allow four.
        assertTrue(Math.abs(counts.get("seventy") / (double) n - 0.7) < 0.0184, "seventy: " + counts);
        assertEquals(n, counts.get("seventy") + counts.get("thirty"), "the paused model gets nothing: " + counts);
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        List<String> first = sequence(router(5));
        assertEquals(first, sequence(router(5)));
        assertNotEquals(first, sequence(router(6)));
    }

    private static List<String> sequence(StrategyRouter router) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            out.add(router.draw(MODELS, BTC).name());
        }
        return out;
    }

    private static void assertShare(int count, int n, double expected) {
        double share = (double) count / n;
        assertTrue(Math.abs(share - expected) < 0.02, "share " + share + " should be near " + expected);
    }
}
