package io.fedprune.core.tifl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TierSelectorTest {
    /** 15 clients, client i's round time i: tiers {0,1,2}, {3,4,5}, ... {12,13,14}. */
    private static final Tiers FIVE = Tiers.profile(IntStream.range(0, 15).asDoubleStream().toArray(), 5);
    private static final List<Integer> ALL = IntStream.range(0, 15).boxed().toList();

    private static int[] tierCounts(TierSelector s, int rounds, long seed) {
        int[] counts = new int[5];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 1; r <= rounds; r++) {
            List<Integer> picked = s.select(ALL, r, rng);
            int tier = s.lastTier();
            counts[tier]++;
            assertEquals(2, picked.size(), "|C| = 2 of the tier's 3");
            assertEquals(picked.stream().sorted().toList(), picked);
            assertEquals(2, picked.stream().distinct().count());
            for (int c : picked) {
                assertEquals(tier, FIVE.tierOf(c), "only the chosen tier's clients");
            }
        }
        return counts;
    }

    @Test
    void tiersStartEquallyLikely() {
        int[] counts = tierCounts(new TierSelector(FIVE, 2, 1_000_000), 10_000, 1);
        for (int c : counts) {
            assertEquals(2000, c, 150, java.util.Arrays.toString(counts)); // ~4 standard deviations
        }
    }

    @Test
    void rerankingGivesTheLeastAccurateTierTheMostWeight() {
        TierSelector s = new TierSelector(FIVE, 2, 1_000_000);
        s.rerank(new double[] {0.9, 0.5, 0.7, Double.NaN, 0.8});
        // ascending accuracy: tier 3 (never measured), 1, 2, 4, 0 -> p = 5, 4, 3, 2, 1 out of 15
        double[] expected = {1 / 15.0, 4 / 15.0, 3 / 15.0, 5 / 15.0, 2 / 15.0};
        for (int t = 0; t < 5; t++) {
            assertEquals(expected[t], s.probability(t), 1e-15);
        }
        int[] counts = tierCounts(s, 15_000, 2);
        for (int t = 0; t < 5; t++) {
            double mean = 15_000 * expected[t];
            assertEquals(mean, counts[t], 4 * Math.sqrt(mean), "tier " + t + ": " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void creditsBoundEachTiersSelectionsAndARefillRestartsThem() {
        TierSelector s = new TierSelector(FIVE, 3, 4);
        int[] counts = tierCounts3(s, 20, 3);
        for (int c : counts) {
            assertEquals(4, c, "20 rounds with 4 credits per tier: each tier exactly 4 times");
        }
        for (int t = 0; t < 5; t++) {
            assertEquals(0, s.creditsLeft(t));
        }
        s.select(ALL, 21, new SplittableRandom(9));
        int total = IntStream.range(0, 5).map(s::creditsLeft).sum();
        assertEquals(5 * 4 - 1, total, "refilled, then one spent");
    }

    private static int[] tierCounts3(TierSelector s, int rounds, long seed) {
        int[] counts = new int[5];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 1; r <= rounds; r++) {
            assertEquals(3, s.select(ALL, r, rng).size(), "the whole tier: |C| = 3");
            counts[s.lastTier()]++;
        }
        return counts;
    }

    @Test
    void aTierWithoutCreditsGetsNoProbabilityAndTheOthersShareTheRanks() {
        TierSelector s = new TierSelector(FIVE, 3, 1);
        SplittableRandom rng = new SplittableRandom(4);
        s.select(ALL, 1, rng);
        int spent = s.lastTier();
        double[] acc = {0.1, 0.2, 0.3, 0.4, 0.5};
        s.rerank(acc);
        assertEquals(0, s.probability(spent));
        // n = 4 tiers with credits, D = 10: the least accurate of them gets 4/10
        int lowest = spent == 0 ? 1 : 0;
        assertEquals(0.4, s.probability(lowest), 1e-15);
        assertEquals(1.0, IntStream.range(0, 5).mapToDouble(s::probability).sum(), 1e-12);
    }

    @Test
    void onlyTiersWithAnAvailableClientAreDrawnAndDrawsRepeatWithTheSeed() {
        TierSelector a = new TierSelector(FIVE, 2, 1000);
        List<Integer> someGone = List.of(0, 1, 2, 12, 14); // only tiers 0 and 4 reachable; 13 is busy
        SplittableRandom rng = new SplittableRandom(5);
        for (int r = 1; r <= 200; r++) {
            List<Integer> picked = a.select(someGone, r, rng);
            assertTrue(someGone.containsAll(picked), picked.toString());
            assertTrue(a.lastTier() == 0 || a.lastTier() == 4);
        }
        TierSelector b = new TierSelector(FIVE, 2, 1000);
        TierSelector c = new TierSelector(FIVE, 2, 1000);
        SplittableRandom rb = new SplittableRandom(6);
        SplittableRandom rc = new SplittableRandom(6);
        for (int r = 1; r <= 50; r++) {
            assertEquals(b.select(ALL, r, rb), c.select(ALL, r, rc));
        }
        assertEquals(List.of(), b.select(List.of(), 51, rb));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TierSelector(FIVE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TierSelector(FIVE, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TierSelector(FIVE, 1, 1).rerank(new double[4]));
    }
}
