package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PruningPolicyTest {

    private static SegmentFilter randomFilter(SplittableRandom rng) {
        return switch (rng.nextInt(4)) {
            case 0 -> SegmentFilter.all();
            case 1 -> SegmentFilter.denseOnly();
            case 2 -> new SegmentFilter(EnumSet.of(SegmentKind.CONV, SegmentKind.DENSE, SegmentKind.OUTPUT), rng.nextBoolean());
            default -> new SegmentFilter(EnumSet.of(SegmentKind.OUTPUT, SegmentKind.BIAS), false);
        };
    }

    @Test
    void bothScopesAgreeWithSortingReference() {
        SplittableRandom rng = new SplittableRandom(40);
        for (int round = 0; round < 300; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            float[] scores = Reference.randomValues(rng, layout.totalLength());
            SegmentFilter filter = randomFilter(rng);
            double density = Reference.randomDensity(rng);
            for (PruningPolicy.Scope scope : PruningPolicy.Scope.values()) {
                Mask expected = Reference.select(layout, scores, filter, scope, density);
                Mask got = PruningPolicy.selectByScores(layout, scores, filter, scope, density);
                assertEquals(expected, got, scope + " " + filter + " density " + density + " " + layout);
            }
        }
    }

    @Test
    void selectRunsTheScoreThenSelects() {
        SplittableRandom rng = new SplittableRandom(41);
        for (int round = 0; round < 100; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            int n = layout.totalLength();
            float[] w = Reference.randomValues(rng, n);
            float[] ref = Reference.randomValues(rng, n);
            for (int i = 0; i < n; i++) {
                // keep w - ref finite
                w[i] = Float.isInfinite(w[i]) ? 7f : w[i];
                ref[i] = Float.isInfinite(ref[i]) ? -3f : ref[i];
            }
            SegmentFilter filter = randomFilter(rng);
            double density = Reference.randomDensity(rng);
            PruningPolicy.Scope scope = rng.nextBoolean() ? PruningPolicy.Scope.GLOBAL : PruningPolicy.Scope.PER_LAYER;
            for (ImportanceScore score : new ImportanceScore[] {new MagnitudeImportance(), new UpdateImportance(),
                    new SquaredUpdateImportance()}) {
                Mask expected = Reference.select(layout, score.scores(w, ref), filter, scope, density);
                assertEquals(expected, new PruningPolicy(score, filter, scope).select(layout, w, ref, density));
            }
        }
    }

    @Test
    void globalCountIsExactAndPerLayerKeepsEveryLayer() {
        // layer 0 has tiny scores, layer 1 huge ones: GLOBAL empties layer 0, PER_LAYER keeps half of each
        ParameterLayout layout = new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 100, new long[] {100}),
                new ParameterSegment("1_W", 1, SegmentKind.DENSE, 100, 100, new long[] {100})));
        float[] w = new float[200];
        for (int i = 0; i < 200; i++) {
            w[i] = i < 100 ? 1e-3f * (i + 1) : 10f + i;
        }
        Mask global = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.all(), PruningPolicy.Scope.GLOBAL)
                .select(layout, w, null, 0.5);
        Mask perLayer = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.all(), PruningPolicy.Scope.PER_LAYER)
                .select(layout, w, null, 0.5);
        assertEquals(100, global.cardinality());
        for (int i = 0; i < 100; i++) {
            assertTrue(!global.get(i) && global.get(100 + i));
        }
        assertEquals(100, perLayer.cardinality());
        for (int i = 0; i < 100; i++) {
            assertEquals(i >= 50, perLayer.get(i));
            assertEquals(i >= 50, perLayer.get(100 + i));
        }
    }

    @Test
    void densityCountsOnlyPrunableEntries() {
        ParameterLayout layout = SegmentFilterTest.CNN;
        float[] w = new float[layout.totalLength()];
        java.util.Arrays.fill(w, 1f);
        Mask m = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.denseOnly(), PruningPolicy.Scope.GLOBAL)
                .select(layout, w, null, 0.3);
        // 70 prunable dense weights, 21 kept, all 35 others kept
        assertEquals(21 + 35, m.cardinality());
        // equal scores: the lowest 21 indices of the dense segment win
        assertEquals(Mask.fromIndices(layout.totalLength(), java.util.stream.IntStream.range(12, 33).toArray())
                .or(complement(SegmentFilter.denseOnly().prunable(layout))), m);
    }

    private static Mask complement(Mask m) {
        boolean[] b = new boolean[m.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = !m.get(i);
        }
        return Reference.toMask(b);
    }

    @Test
    void invalidInputIsRejected() {
        ParameterLayout layout = SegmentFilterTest.CNN;
        int n = layout.totalLength();
        PruningPolicy p = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.all(), PruningPolicy.Scope.GLOBAL);
        PruningPolicy q = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.all(), PruningPolicy.Scope.PER_LAYER);
        for (PruningPolicy policy : new PruningPolicy[] {p, q}) {
            assertMessage(() -> policy.select(layout, new float[n], null, 1.01), "density", "1.01");
            assertMessage(() -> policy.select(layout, new float[n], null, -1), "density", "-1");
            assertMessage(() -> policy.select(layout, new float[n], null, Double.NaN), "density", "NaN");
            assertMessage(() -> policy.select(layout, new float[n + 1], null, 0.5), String.valueOf(n + 1),
                    String.valueOf(n));
            float[] nan = new float[n];
            nan[50] = Float.NaN;
            assertMessage(() -> policy.select(layout, nan, null, 0.5), "index 50", "NaN");
        }
        PruningPolicy tt = new PruningPolicy(new UpdateImportance(), SegmentFilter.denseOnly(), PruningPolicy.Scope.GLOBAL);
        assertMessage(() -> tt.select(layout, new float[n], null, 0.5), "reference");
        assertMessage(() -> PruningPolicy.selectByScores(layout, new float[3], SegmentFilter.all(),
                PruningPolicy.Scope.GLOBAL, 0.5), "3", String.valueOf(n));
    }
}
