package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NestedMasksTest {

    @Test
    void lowerDensitiesAreSubsetsOfHigherOnesOnRandomInputs() {
        SplittableRandom rng = new SplittableRandom(50);
        for (int round = 0; round < 300; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            float[] scores = Reference.randomValues(rng, layout.totalLength());
            SegmentFilter filter = rng.nextBoolean() ? SegmentFilter.all() : SegmentFilter.denseOnly();
            double[] densities = new double[1 + rng.nextInt(6)];
            for (int i = 0; i < densities.length; i++) {
                densities[i] = Reference.randomDensity(rng);
            }
            List<Mask> masks = NestedMasks.build(layout, scores, filter, densities);
            assertEquals(densities.length, masks.size());
            int prunable = filter.prunable(layout).cardinality();
            for (int i = 0; i < densities.length; i++) {
                // each mask is the GLOBAL selection at its density...
                assertEquals(Reference.select(layout, scores, filter, PruningPolicy.Scope.GLOBAL, densities[i]),
                        masks.get(i));
                assertEquals(layout.totalLength() - prunable + Math.round(densities[i] * prunable),
                        masks.get(i).cardinality());
                // ...and nested with every other
                for (int j = 0; j < densities.length; j++) {
                    if (densities[i] <= densities[j]) {
                        assertTrue(masks.get(i).isSubsetOf(masks.get(j)),
                                densities[i] + " not inside " + densities[j] + " round " + round);
                    }
                }
            }
        }
    }

    @Test
    void prFlDensitiesNestEvenWhenAllScoresTie() {
        ParameterLayout layout = SegmentFilterTest.CNN;
        float[] scores = new float[layout.totalLength()];
        List<Mask> masks = NestedMasks.build(layout, scores, SegmentFilter.all(), new double[] {1.0, 0.6, 0.3, 0.1});
        for (int i = 1; i < masks.size(); i++) {
            assertTrue(masks.get(i).isSubsetOf(masks.get(i - 1)));
        }
        assertEquals(Mask.all(layout.totalLength()), masks.get(0));
        // all tied: the lowest indices are kept
        assertEquals(Mask.fromIndices(105, java.util.stream.IntStream.range(0, 11).toArray()), masks.get(3));
    }

    @Test
    void invalidDensitiesAreRejected() {
        float[] scores = new float[SegmentFilterTest.CNN.totalLength()];
        assertMessage(() -> NestedMasks.build(SegmentFilterTest.CNN, scores, SegmentFilter.all(), new double[] {0.5, 2}),
                "density", "2.0");
        assertEquals(List.of(), NestedMasks.build(SegmentFilterTest.CNN, scores, SegmentFilter.all(), new double[0]));
    }
}
