package dev.tradeplane.ops.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tradeplane.ops.allocation.Allocator.ModelInput;
import dev.tradeplane.ops.allocation.Allocator.Result;
import dev.tradeplane.ops.routing.ModelStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator on scripted return histories whose answers are known. */
class AllocatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static AllocationPolicy policy(AllocationMethod method, String min, String max) {
        return new AllocationPolicy(method, new BigDecimal(min), new BigDecimal(max), Duration.ofMinutes(5), 10, new BigDecimal("0.8"),
                new BigDecimal("0.5"), new BigDecimal("0.5"), new BigDecimal("0.1"), 365 * 24 * 120.0, OverBudget.SCALE);
    }

    /** n returns alternating between a and b. */
    private static double[] alternating(double a, double b, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 2 == 0 ? a : b;
        }
        return out;
    }

    private static ModelInput active(String name, double[] returns) {
        return new ModelInput(name, ModelStatus.ACTIVE, returns, null, null, null);
    }

    private static double share(Result r, String model) {
        return r.shareOf(model).doubleValue();
    }

    // Mean / deviation: a = 1 (0.002, 0.000), b = 0.5 (0.003, -0.001), c < 0.
    private static final List<ModelInput> THREE = List.of(
            active("a", alternating(0.002, 0.000, 40)),
            active("b", alternating(0.003, -0.001, 40)),
            active("c", alternating(-0.001, -0.003, 40)));

    @Test
    void sharesFollowTheSharpeRatiosWithinTheBounds() {
        Result r = Allocator.allocate(THREE, 0.1, NOW, policy(AllocationMethod.SHARPE, "0.05", "0.8"));
        // a : b = 2 : 1 of what c's minimum leaves.
        assertEquals(0.95 * 2 / 3, share(r, "a"), 1e-5);
        assertEquals(0.95 / 3, share(r, "b"), 1e-5);
        assertEquals(0.05, share(r, "c"), 1e-9);
        assertTrue(r.shares().get(2).notes().stream().anyMatch(n -> n.startsWith("raised to min share")));
        assertEquals(r.shares().get(0).sharpe().doubleValue() / 2, r.shares().get(1).sharpe().doubleValue(), 0.01);
    }

    @Test
    void theMaximumCapsAModelAndTheRestGoesToTheOthers() {
        Result r = Allocator.allocate(THREE, 0.1, NOW, policy(AllocationMethod.SHARPE, "0.05", "0.5"));
        assertEquals(0.5, share(r, "a"), 1e-9);
        assertEquals(0.45, share(r, "b"), 1e-5);
        assertEquals(0.05, share(r, "c"), 1e-9);
        assertTrue(r.shares().stream().map(Allocator.ModelShare::share).reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(BigDecimal.ONE) <= 0);
    }

    @Test
    void aModelInItsCooldownKeepsItsShareAndTheOthersShareTheRest() {
        List<ModelInput> models = List.of(
                new ModelInput("a", ModelStatus.ACTIVE, THREE.get(0).returns(), null, new BigDecimal("0.2"), NOW.minusSeconds(60)),
                THREE.get(1), THREE.get(2));
        Result r = Allocator.allocate(models, 0.1, NOW, policy(AllocationMethod.SHARPE, "0.05", "0.8"));
        assertEquals(0.2, share(r, "a"), 1e-9, "held for its cooldown");
        assertTrue(r.shares().get(0).notes().stream().anyMatch(n -> n.startsWith("held")));
        assertEquals(0.8, share(r, "b") + share(r, "c"), 1e-5);

        List<ModelInput> later = List.of(
                new ModelInput("a", ModelStatus.ACTIVE, THREE.get(0).returns(), null, new BigDecimal("0.2"), NOW.minus(Duration.ofMinutes(6))),
                THREE.get(1), THREE.get(2));
        assertEquals(0.95 * 2 / 3, share(Allocator.allocate(later, 0.1, NOW, policy(AllocationMethod.SHARPE, "0.05", "0.8")), "a"), 1e-5,
                "after the cooldown it moves");
    }

    @Test
    void aNewModelGetsItsShareEvenWhileTheOthersAreInTheirCooldown() {
        List<ModelInput> models = List.of(
                new ModelInput("old-1", ModelStatus.ACTIVE, new double[0], null, new BigDecimal("0.5"), NOW.minusSeconds(30)),
                new ModelInput("old-2", ModelStatus.ACTIVE, new double[0], null, new BigDecimal("0.5"), NOW.minusSeconds(30)),
                new ModelInput("new", ModelStatus.ACTIVE, new double[0], null, null, null));
        Result r = Allocator.allocate(models, 0.1, NOW, policy(AllocationMethod.EQUAL, "0", "1"));
        assertEquals(1 / 3.0, share(r, "new"), 1e-5);
        assertEquals(1 / 3.0, share(r, "old-1"), 1e-5, "the held shares gave way in proportion");
        assertEquals(1 / 3.0, share(r, "old-2"), 1e-5);
    }

    @Test
    void aVolatileMarketDampsEveryShare() {
        AllocationPolicy p = policy(AllocationMethod.SHARPE, "0.05", "0.8");
        Result calm = Allocator.allocate(THREE, 0.5, NOW, p);
        Result wild = Allocator.allocate(THREE, 1.2, NOW, p);
        assertTrue(wild.damped());
        for (String m : List.of("a", "b", "c")) {
            assertEquals(share(calm, m) * 0.5, share(wild, m), 1e-5);
        }
    }

    @Test
    void aShareHeldInItsCooldownIsNotDampedAgainEachRound() {
        AllocationPolicy p = policy(AllocationMethod.EQUAL, "0", "1");
        List<ModelInput> first = List.of(new ModelInput("x", ModelStatus.ACTIVE, new double[0], null, null, null),
                new ModelInput("y", ModelStatus.ACTIVE, new double[0], null, null, null));
        Result damped = Allocator.allocate(first, 1.2, NOW, p);
        assertEquals(0.25, share(damped, "x"), 1e-9, "half of an equal share, damped");
        // The next round, within the cooldown and still volatile: the shares stay where they were.
        List<ModelInput> next = List.of(new ModelInput("x", ModelStatus.ACTIVE, new double[0], null, new BigDecimal("0.25"), NOW.minusSeconds(30)),
                new ModelInput("y", ModelStatus.ACTIVE, new double[0], null, new BigDecimal("0.25"), NOW.minusSeconds(30)));
        Result again = Allocator.allocate(next, 1.2, NOW, p);
        assertEquals(0.25, share(again, "x"), 1e-9);
        assertEquals(0.25, share(again, "y"), 1e-9);
    }

    @Test
    void modelsThatMayNotTradeGetNothingAndACanaryATenthOfItsScore() {
        List<ModelInput> models = List.of(active("a", alternating(0.002, 0.000, 40)),
                new ModelInput("canary", ModelStatus.CANARY, alternating(0.002, 0.000, 40), null, null, null),
                new ModelInput("paused", ModelStatus.PAUSED, alternating(0.002, 0.000, 40), null, new BigDecimal("0.5"), NOW));
        Result r = Allocator.allocate(models, 0.1, NOW, policy(AllocationMethod.SHARPE, "0", "1"));
        assertEquals(0, share(r, "paused"), 1e-12, "paused: nothing, cooldown or not");
        assertEquals(1 / 1.1, share(r, "a"), 1e-5);
        assertEquals(0.1 / 1.1, share(r, "canary"), 1e-5);
    }

    @Test
    void withoutEnoughLiveDataAModelIsScoredByItsBacktest() {
        List<ModelInput> models = List.of(active("a", alternating(0.002, 0.000, 40)),
                new ModelInput("new", ModelStatus.ACTIVE, new double[3], new BigDecimal("3"), null, null));
        Result r = Allocator.allocate(models, 0.1, NOW, policy(AllocationMethod.SHARPE, "0", "1"));
        double a = r.shares().get(0).sharpe().doubleValue();
        assertEquals(3 / (3 + a), share(r, "new"), 1e-4);
    }

    @Test
    void hrpGivesTwoUncorrelatedModelsInverseVarianceWeights() {
        double[] s1 = new double[40];
        double[] s2 = new double[40];
        for (int i = 0; i < 40; i++) {
            s1[i] = i % 2 == 0 ? 0.01 : -0.01;
            s2[i] = i % 4 < 2 ? 0.02 : -0.02;
        }
        Result r = Allocator.allocate(List.of(active("calm", s1), active("wild", s2)), 0.1, NOW, policy(AllocationMethod.HRP, "0", "1"));
        assertEquals(0.8, share(r, "calm"), 1e-5, "variance 1 against 4: 1/1 : 1/4");
        assertEquals(0.2, share(r, "wild"), 1e-5);
    }

    @Test
    void hrpSplitsBetweenClustersFirstThenWithinThem() {
        double[] calm = new double[40];
        double[] wild = new double[40];
        for (int i = 0; i < 40; i++) {
            calm[i] = i % 2 == 0 ? 0.01 : -0.01;
            wild[i] = i % 4 < 2 ? 0.02 : -0.02;
        }
        // Two pairs that move together: the calm pair (variance v) against the wild pair (4v) gets 1/v : 1/4v = 0.8 : 0.2,
        // then each pair splits evenly.
        Result r = Allocator.allocate(List.of(active("calm", calm), active("wild", wild), active("calm-twin", calm.clone()),
                active("wild-twin", wild.clone())), 0.1, NOW, policy(AllocationMethod.HRP, "0", "1"));
        assertEquals(0.4, share(r, "calm"), 1e-5);
        assertEquals(0.4, share(r, "calm-twin"), 1e-5);
        assertEquals(0.1, share(r, "wild"), 1e-5);
        assertEquals(0.1, share(r, "wild-twin"), 1e-5);
    }

    @Test
    void kellyBetsAFractionOfMeanOverVarianceCappedAndLeavesTheRestInCash() {
        double[] edge = alternating(0.1, -0.09, 20);
        double[] loser = alternating(-0.05, 0.04, 20);
        double[] huge = alternating(0.02, 0.0, 20);
        Result r = Allocator.allocate(List.of(active("edge", edge), active("loser", loser), active("huge", huge)), 0.1, NOW,
                policy(AllocationMethod.KELLY, "0", "0.5"));
        double expected = 0.5 * 0.005 / (0.009025 * 20 / 19);
        assertEquals(expected, share(r, "edge"), 1e-5, "half Kelly: 0.5 x mean / variance");
        assertEquals(0, share(r, "loser"), 1e-12, "no edge, no bet");
        assertEquals(0.5, share(r, "huge"), 1e-12, "capped at the max share");
    }

    @Test
    void equalWeightIsEqual() {
        Result r = Allocator.allocate(THREE, 0.1, NOW, policy(AllocationMethod.EQUAL, "0", "1"));
        for (String m : List.of("a", "b", "c")) {
            assertEquals(1 / 3.0, share(r, m), 1e-5);
        }
    }
}
