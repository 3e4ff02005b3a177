package io.fedprune.core.ttfed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedprune.core.prune.Mask;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierAggregationTest {

    @Test
    void insideATierEachEntryIsAveragedOverTheClientsThatKeptIt() {
        TierAggregation t = new TierAggregation(2, TierAggregation.Weighting.INVERSE_FREQUENCY);
        float[] global = {9, 9, 9, 9};
        Mask first = Mask.fromIndices(4, new int[] {0, 1});
        Mask second = Mask.fromIndices(4, new int[] {1, 2});
        float[] tier = t.aggregateTier(1, global, List.of(new float[] {2, 4, 0, 0}, new float[] {0, 1, 7, 0}),
                Arrays.asList(first, second), new long[] {1, 3});
        // entry 0: only the first (2); entry 1: (1*4 + 3*1) / 4; entry 2: only the second (7); entry 3: nobody: 9
        assertArrayEquals(new float[] {2, 7f / 4, 7, 9}, tier, 1e-6f);
    }

    @Test
    void inverseFrequencyWeighsATierByItsIndexTimesItsSamples() {
        TierAggregation t = new TierAggregation(3, TierAggregation.Weighting.INVERSE_FREQUENCY);
        float[] g = new float[2];
        t.aggregateTier(1, g, List.of(new float[] {1, 1}), Arrays.asList((Mask) null), new long[] {30});
        assertArrayEquals(new double[] {1, 0, 0}, t.weights(), 1e-12, "only tier 1 has a model");
        t.aggregateTier(3, g, List.of(new float[] {4, 4}), Arrays.asList((Mask) null), new long[] {10});
        // alpha ∝ (1 * 30, -, 3 * 10)
        assertArrayEquals(new double[] {0.5, 0, 0.5}, t.weights(), 1e-12);
        assertArrayEquals(new float[] {2.5f, 2.5f}, t.global(), 1e-6f);
        assertEquals(List.of(1, 3), t.tiersWithModels());
    }

    @Test
    void fedAtGivesTheLeastUpdatedTierTheMostWeight() {
        TierAggregation t = new TierAggregation(2, TierAggregation.Weighting.FEDAT);
        float[] g = new float[1];
        for (int k = 0; k < 3; k++) {
            t.aggregateTier(1, g, List.of(new float[] {0}), Arrays.asList((Mask) null), new long[] {5});
        }
        t.aggregateTier(2, g, List.of(new float[] {1}), Arrays.asList((Mask) null), new long[] {5});
        assertArrayEquals(new long[] {3, 1}, t.updates());
        // alpha_1 ∝ T_2 + 1 = 2, alpha_2 ∝ T_1 + 1 = 4
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3}, t.weights(), 1e-12);
        assertArrayEquals(new float[] {2f / 3}, t.global(), 1e-6f);
    }

    @Test
    void nothingToAggregateIsAnError() {
        TierAggregation t = new TierAggregation(2, TierAggregation.Weighting.FEDAT);
        assertThrows(IllegalStateException.class, t::global);
        assertThrows(IllegalArgumentException.class, () -> t.aggregateTier(1, new float[1], List.of(), List.of(),
                new long[0]));
        assertThrows(IllegalArgumentException.class, () -> TierAggregation.Weighting.parse("equal"));
    }
}
