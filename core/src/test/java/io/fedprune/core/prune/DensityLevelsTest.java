package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DensityLevelsTest {

    @Test
    void accumulatedImportanceGivesNestedLevelsThatMatchASortingReference() {
        SplittableRandom rng = new SplittableRandom(77);
        for (int round = 0; round < 300; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            int n = layout.totalLength();
            SegmentFilter filter = switch (rng.nextInt(3)) {
                case 0 -> SegmentFilter.all();
                case 1 -> SegmentFilter.denseOnly();
                default -> new SegmentFilter(java.util.Set.of(SegmentKind.DENSE, SegmentKind.CONV), true);
            };
            // uploads of sub-models: exact zeros where the client's model was pruned
            SquaredGradientImportance imp = new SquaredGradientImportance(n);
            float[] acc = new float[n];
            int uploads = rng.nextInt(4);
            for (int u = 0; u < uploads; u++) {
                float[] g = new float[n];
                for (int i = 0; i < n; i++) {
                    g[i] = rng.nextInt(3) == 0 ? 0f : (float) (rng.nextGaussian() * (rng.nextBoolean() ? 1 : 1e-3));
                    acc[i] += g[i] * g[i];
                }
                imp.accumulate(g);
            }
            float[] w = Reference.randomValues(rng, n);
            for (int i = 0; i < n; i++) {
                if (Float.isInfinite(w[i])) {
                    w[i] = 7f; // a global model has finite weights
                }
            }
            double[] clients = new double[1 + rng.nextInt(10)];
            for (int c = 0; c < clients.length; c++) {
                clients[c] = rng.nextInt(4) == 0 && c > 0 ? clients[rng.nextInt(c)] : Reference.randomDensity(rng);
            }

            DensityLevels levels = DensityLevels.build(layout, imp.scores(w, null), filter, clients);

            float[] scores = referenceScores(acc, w);
            List<Integer> candidates = new ArrayList<>();
            boolean[] prunable = new boolean[n];
            for (ParameterSegment s : layout.segments()) {
                if (Reference.prunableByHand(layout, s, filter)) {
                    for (int i = s.offset(); i < s.end(); i++) {
                        candidates.add(i);
                        prunable[i] = true;
                    }
                }
            }
            TreeSet<Integer> counts = new TreeSet<>();
            for (int c = 0; c < clients.length; c++) {
                int k = (int) Math.round(clients[c] * candidates.size());
                counts.add(k);
                boolean[] keep = Reference.topK(scores, candidates, k);
                for (int i = 0; i < n; i++) {
                    keep[i] |= !prunable[i];
                }
                assertEquals(Reference.toMask(keep), levels.maskOf(c), "round " + round + " client " + c);
                assertEquals(n - candidates.size() + k, levels.maskOf(c).cardinality());
            }
            assertEquals(counts.size(), levels.levels());
            for (int l = 1; l < levels.levels(); l++) {
                Mask lower = levels.masks().get(l - 1);
                Mask upper = levels.masks().get(l);
                assertTrue(lower.isSubsetOf(upper) && lower.cardinality() < upper.cardinality(), "strictly nested");
            }
            for (int c = 0; c < clients.length; c++) {
                assertEquals(counts.headSet((int) Math.round(clients[c] * candidates.size())).size(), levels.levelOf(c));
            }
        }
    }

    /** PR-FL's importance spelled out: the accumulated square, or gMin·|w| where nothing was accumulated. */
    private static float[] referenceScores(float[] acc, float[] w) {
        float gMin = Float.POSITIVE_INFINITY;
        for (float a : acc) {
            if (a > 0) {
                gMin = Math.min(gMin, a);
            }
        }
        if (gMin == Float.POSITIVE_INFINITY) {
            gMin = 1f;
        }
        float[] s = new float[acc.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = acc[i] > 0 ? acc[i] : gMin * Math.abs(w[i]);
        }
        return s;
    }

    @Test
    void uninformedWeightsRankByGMinTimesMagnitude() {
        ParameterLayout dense = new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 6, new long[] {2, 3})));
        float[] w = {0.1f, 0.1f, 3f, -0.5f, 2f, 0.25f};
        double[] sixths = {1 / 6.0, 2 / 6.0, 3 / 6.0, 4 / 6.0, 5 / 6.0, 1.0};

        SquaredGradientImportance nothingYet = new SquaredGradientImportance(6);
        // by |w| alone: 2, 4, 3, 5, then 0 and 1 tied (lower index first)
        assertEquals(List.of(2, 4, 3, 5, 0, 1), rankOrder(DensityLevels.build(dense, nothingYet.scores(w, null),
                SegmentFilter.all(), sixths)));

        SquaredGradientImportance imp = new SquaredGradientImportance(6);
        imp.accumulate(new float[] {2f, 0.5f, 0f, 0f, 0f, 0f}); // 4 and 0.25 observed: gMin = 0.25
        // 0 (4), 2 (0.25 * 3), 4 (0.25 * 2), 1 (0.25), 3 (0.25 * 0.5), 5 (0.25 * 0.25)
        assertEquals(List.of(0, 2, 4, 1, 3, 5), rankOrder(DensityLevels.build(dense, imp.scores(w, null),
                SegmentFilter.all(), sixths)));
    }

    /** The order in which entries join the sub-models as the level rises (one per level here). */
    private static List<Integer> rankOrder(DensityLevels levels) {
        List<Integer> order = new ArrayList<>();
        Mask previous = Mask.none(levels.masks().get(0).size());
        for (Mask m : levels.masks()) {
            for (int i : m.indices()) {
                if (!previous.get(i)) {
                    order.add(i);
                }
            }
            previous = m;
        }
        return order;
    }

    @Test
    void clientsWhoseDensitiesRoundAlikeShareALevel() {
        ParameterLayout layout = SegmentFilterTest.CNN; // 105 entries, all prunable under all()
        float[] scores = Reference.randomValues(new SplittableRandom(1), layout.totalLength());
        DensityLevels levels = DensityLevels.build(layout, scores, SegmentFilter.all(),
                new double[] {1.0, 0.1, 0.6, 0.1, 0.101, 0.3, 1.0});
        assertEquals(4, levels.levels()); // 11, 32, 63, 105 entries
        assertEquals(List.of(11, 32, 63, 105), levels.masks().stream().map(Mask::cardinality).toList());
        assertEquals(List.of(3, 0, 2, 0, 0, 1, 3), java.util.stream.IntStream.range(0, 7).map(levels::levelOf).boxed().toList());
        assertEquals(7, levels.clients());
    }

    @Test
    void invalidInputIsRejected() {
        float[] scores = new float[SegmentFilterTest.CNN.totalLength()];
        assertMessage(() -> DensityLevels.build(SegmentFilterTest.CNN, scores, SegmentFilter.all(), new double[0]),
                "no client");
        assertMessage(() -> DensityLevels.build(SegmentFilterTest.CNN, scores, SegmentFilter.all(),
                new double[] {0.5, 1.2}), "client 1", "1.2");
        assertMessage(() -> DensityLevels.build(SegmentFilterTest.CNN, new float[3], SegmentFilter.all(),
                new double[] {0.5}), "3");
        DensityLevels one = DensityLevels.build(SegmentFilterTest.CNN, scores, SegmentFilter.all(), new double[] {0.5});
        assertMessage(() -> one.levelOf(1), "client 1");
    }
}
