package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImportanceScoreTest {

    private static float[] gaussian(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Test
    void elementwiseScoresMatchTheirFormulas() {
        SplittableRandom rng = new SplittableRandom(20);
        for (int round = 0; round < 50; round++) {
            int n = rng.nextInt(100);
            float[] w = gaussian(rng, n);
            float[] ref = gaussian(rng, n);
            float[] mag = new MagnitudeImportance().scores(w, null);
            float[] upd = new UpdateImportance().scores(w, ref);
            float[] sq = new SquaredUpdateImportance().scores(w, ref);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.abs(w[i]), mag[i]);
                float d = w[i] - ref[i];
                assertEquals(Math.abs(d), upd[i]);
                assertEquals(d * d, sq[i]);
            }
            // inputs untouched
            assertArrayEquals(new MagnitudeImportance().scores(w, ref), mag);
        }
    }

    @Test
    void updateScoresPruneWhatTrainingBarelyMoved() {
        float[] received = {1f, 1f, 1f, 1f};
        float[] local = {1.5f, 1.01f, 0.2f, 1f};
        PruningPolicy tt = new PruningPolicy(new UpdateImportance(), SegmentFilter.all(), PruningPolicy.Scope.GLOBAL);
        PruningPolicy sq = new PruningPolicy(new SquaredUpdateImportance(), SegmentFilter.all(),
                PruningPolicy.Scope.GLOBAL);
        var layout = new io.fedprune.core.model.ParameterLayout(java.util.List.of(new io.fedprune.core.model.ParameterSegment(
                "0_W", 0, io.fedprune.core.model.SegmentKind.DENSE, 0, 4, new long[] {4})));
        Mask expected = Mask.fromIndices(4, new int[] {0, 2});
        assertEquals(expected, tt.select(layout, local, received, 0.5));
        assertEquals(expected, sq.select(layout, local, received, 0.5));
    }

    @Test
    void referenceIsRequiredAndMustMatch() {
        float[] w = {1f, 2f};
        assertMessage(() -> new UpdateImportance().scores(w, null), "UpdateImportance", "null");
        assertMessage(() -> new SquaredUpdateImportance().scores(w, new float[3]), "3", "2");
    }

    @Test
    void squaredGradientAccumulatesAndFallsBackToScaledMagnitude() {
        SquaredGradientImportance imp = new SquaredGradientImportance(5);
        float[] w = {0.5f, -2f, 3f, 0.1f, -1f};
        // nothing observed yet: gMin = 1, plain magnitudes
        assertArrayEquals(new float[] {0.5f, 2f, 3f, 0.1f, 1f}, imp.scores(w, null));
        imp.accumulate(new float[] {1f, 0f, -2f, 0f, 0f});
        imp.accumulate(new float[] {0.5f, 0f, 1f, 0f, -0f});
        assertArrayEquals(new float[] {1.25f, 0f, 5f, 0f, 0f}, imp.accumulated());
        assertEquals(1.25f, imp.gMin());
        assertArrayEquals(new float[] {1.25f, 1.25f * 2f, 5f, 1.25f * 0.1f, 1.25f}, imp.scores(w, null));
        imp.reset();
        assertArrayEquals(new float[5], imp.accumulated());
        assertEquals(1f, imp.gMin());
    }

    @Test
    void squaredGradientAgreesWithReferenceOnRandomSparseUploads() {
        SplittableRandom rng = new SplittableRandom(21);
        for (int round = 0; round < 30; round++) {
            int n = 1 + rng.nextInt(200);
            SquaredGradientImportance imp = new SquaredGradientImportance(n);
            double[] acc = new double[n];
            int uploads = rng.nextInt(4);
            for (int u = 0; u < uploads; u++) {
                float[] g = gaussian(rng, n);
                for (int i = 0; i < n; i++) {
                    if (rng.nextInt(3) == 0) {
                        g[i] = 0f; // pruned in that client's sub-model
                    }
                }
                imp.accumulate(g);
                for (int i = 0; i < n; i++) {
                    acc[i] = (float) (acc[i] + g[i] * g[i]);
                }
            }
            float gMin = 1f;
            boolean any = false;
            for (double a : acc) {
                if (a > 0 && (!any || a < gMin)) {
                    gMin = (float) a;
                    any = true;
                }
            }
            float[] w = gaussian(rng, n);
            float[] s = imp.scores(w, null);
            for (int i = 0; i < n; i++) {
                assertEquals(acc[i] > 0 ? (float) acc[i] : gMin * Math.abs(w[i]), s[i], "entry " + i);
            }
        }
    }

    @Test
    void squaredGradientRejectsBadInput() {
        SquaredGradientImportance imp = new SquaredGradientImportance(3);
        assertMessage(() -> imp.accumulate(new float[2]), "2", "3");
        assertMessage(() -> imp.accumulate(new float[] {1f, Float.NaN, 2f}), "index 1", "NaN");
        assertArrayEquals(new float[3], imp.accumulated(), "a rejected upload must leave no trace");
        assertMessage(() -> imp.scores(new float[4], null), "4", "3");
        assertMessage(() -> new SquaredGradientImportance(-1), "-1");
    }
}
