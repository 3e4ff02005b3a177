package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The robust aggregation rules against slow references written here, on seeded random rounds. */
class RobustRuleTest {

    static List<float[]> round(SplittableRandom rng, int n, int length) {
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] p = new float[length];
            for (int j = 0; j < length; j++) {
                p[j] = (float) (rng.nextGaussian() * (1 + rng.nextInt(3)));
            }
            out.add(p);
        }
        return out;
    }

    /** The values of coordinate j, sorted, by streams rather than the rule's column loop. */
    static double[] sortedColumn(List<float[]> params, int j) {
        return params.stream().mapToDouble(p -> p[j]).sorted().toArray();
    }

    @Test
    void medianAndTrimmedMeanMatchASortPerCoordinate() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rng.nextInt(9);
            List<float[]> params = round(rng, n, 12);
            double[] samples = IntStream.range(0, n).mapToDouble(k -> 1 + k).toArray();
            float[] median = new RobustRule.Median().aggregate(new float[12], params, samples);
            double trim = rng.nextDouble() * 0.49;
            float[] trimmed = new RobustRule.TrimmedMean(trim).aggregate(new float[12], params, samples);
            int cut = (int) Math.floor(trim * n);
            for (int j = 0; j < 12; j++) {
                double[] c = sortedColumn(params, j);
                double m = n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
                assertEquals(m, median[j], 1e-6, "median, n " + n);
                double mean = java.util.Arrays.stream(c, cut, n - cut).average().orElseThrow();
                assertEquals(mean, trimmed[j], 1e-5, "trimmed " + trim + ", n " + n);
            }
        }
    }

    @Test
    void clippingScalesOnlyTheChangesAboveTheBound() {
        float[] global = {1, 1, 1, 1};
        List<float[]> params = List.of(new float[] {1, 1, 1, 2}, new float[] {1, 1, 1, 101}, new float[] {1, 1, 4, 5});
        float[] out = new RobustRule.Clipped(5).aggregate(global, params, new double[] {1, 1, 2});
        // changes: (0,0,0,1) kept; (0,0,0,100) clipped to (0,0,0,5); (0,0,3,4) has norm 5: kept
        assertArrayEquals(new float[] {1, 1, 1 + 6f / 4, 1 + (1 + 5 + 8f) / 4}, out, 1e-6f);
        float[] mean = new RobustRule.Mean().aggregate(global, params, new double[] {1, 1, 2});
        assertEquals((2 + 101 + 10) / 4f, mean[3], 1e-5, "the mean is sample-weighted");
    }

    @Test
    void aFewOutliersMoveTheMeanButNotTheRobustRules() {
        SplittableRandom rng = new SplittableRandom(3);
        List<float[]> params = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            float[] p = new float[6];
            for (int j = 0; j < 6; j++) {
                p[j] = (float) (1 + 0.01 * rng.nextGaussian());
            }
            params.add(p);
        }
        params.add(new float[] {-1e6f, -1e6f, -1e6f, -1e6f, -1e6f, -1e6f});
        params.add(new float[] {1e6f, 1e6f, 1e6f, 1e6f, 1e6f, 1e6f});
        double[] ones = new double[10];
        java.util.Arrays.fill(ones, 1);
        float[] global = new float[] {1, 1, 1, 1, 1, 1};
        for (RobustRule r : List.of(new RobustRule.Median(), new RobustRule.TrimmedMean(0.2),
                new RobustRule.Clipped(0.5))) {
            float[] out = r.aggregate(global, params, ones);
            for (float v : out) {
                assertEquals(1, v, 0.11, r.canonical());
            }
        }
        params.set(9, new float[] {-1e6f, -1e6f, -1e6f, -1e6f, -1e6f, -1e6f});
        assertTrue(new RobustRule.Mean().aggregate(global, params, ones)[0] < -1e5, "two outliers drag the mean");
    }

    @Test
    void parsesWhatItPrintsAndRefusesTheRest() {
        for (String spec : List.of("mean", "median", "trimmed-mean(0.2)", "clip(5.0)")) {
            assertEquals(spec, RobustRule.parse(spec).canonical());
        }
        assertInstanceOf(RobustRule.TrimmedMean.class, RobustRule.parse(" Trimmed-Mean( 0.1 ) "));
        for (String bad : List.of("avg", "trimmed-mean(0.5)", "trimmed-mean(x)", "clip(0)", "clip(-1)", "median(2)")) {
            assertThrows(IllegalArgumentException.class, () -> RobustRule.parse(bad), bad);
        }
    }
}
