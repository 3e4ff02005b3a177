package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.prune.Mask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class MaskFedAvgTest {

    /**
     * Obviously correct MaskFedAvg, entry by entry: the w-weighted mean over the updates whose mask
     * holds the entry, the previous value where none does, then mixed with eta_g.
     */
    public static double[] reference(float[] previous, List<float[]> params, List<Mask> masks, double[] w, double eta) {
        double[] out = new double[previous.length];
        for (int j = 0; j < previous.length; j++) {
            double num = 0;
            double den = 0;
            for (int i = 0; i < w.length; i++) {
                boolean kept = masks.get(i) == null || masks.get(i).get(j);
                if (kept) {
                    num += w[i] * params.get(i)[j];
                    den += w[i];
                }
            }
            out[j] = den > 0 ? (1 - eta) * previous[j] + eta * num / den : previous[j];
        }
        return out;
    }

    /**
     * A random mask of {@code size} entries: mostly whole kept or empty 64-entry words and partial
     * ones of a random density, so every path of the word loop is taken; never {@code hole}.
     */
    public static Mask randomMask(SplittableRandom rng, int size, int hole) {
        List<Integer> kept = new ArrayList<>();
        for (int word = 0; word * 64 < size; word++) {
            int kind = rng.nextInt(3);
            double density = kind == 0 ? 1.0 : kind == 1 ? 0.0 : rng.nextDouble();
            for (int j = word * 64; j < Math.min(size, word * 64 + 64); j++) {
                if (j != hole && rng.nextDouble() < density) {
                    kept.add(j);
                }
            }
        }
        return Mask.fromIndices(size, kept.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void matchesTheReferenceOnRandomMasksWeightsAndRates() {
        SplittableRandom rng = new SplittableRandom(2024);
        StalenessFunction poly = StalenessFunction.polynomial(0.6);
        for (int trial = 0; trial < 300; trial++) {
            int size = 1 + rng.nextInt(trial % 3 == 0 ? 64 * 5 : 700);
            int updates = 1 + rng.nextInt(10);
            // in most trials one entry is kept by nobody (no update has the whole model then)
            int hole = trial % 4 == 3 ? -1 : rng.nextInt(size);
            float[] previous = FedBuffTest.random(rng, size);
            float[] before = previous.clone();
            List<float[]> params = new ArrayList<>();
            List<Mask> masks = new ArrayList<>();
            double[] w = new double[updates];
            double sumS = 0;
            for (int i = 0; i < updates; i++) {
                Mask m = hole < 0 && rng.nextInt(4) == 0 ? null : randomMask(rng, size, hole);
                float[] p = FedBuffTest.random(rng, size);
                for (int j = 0; j < size; j++) {
                    if (rng.nextInt(10) == 0) {
                        p[j] = 0f; // a kept weight may be exactly 0; outside the mask, anything is ignored
                    }
                }
                params.add(p);
                masks.add(m);
                w[i] = poly.weight(rng.nextInt(20));
                sumS += w[i];
            }
            for (int i = 0; i < updates; i++) {
                w[i] = w[i] / sumS * (rng.nextInt(8) == 0 ? 0 : 1 + rng.nextInt(600)); // p_i n_i, sometimes 0
            }
            double eta = trial % 2 == 0 ? 1.0 : 0.05 + 0.95 * rng.nextDouble();

            float[] got = MaskFedAvg.aggregate(previous, params, masks, w, eta);
            double[] expected = reference(previous, params, masks, w, eta);
            for (int j = 0; j < size; j++) {
                assertEquals(expected[j], got[j], 1e-6 * (1 + Math.abs(expected[j])), "trial " + trial + " entry " + j);
            }
            if (hole >= 0) {
                assertEquals(previous[hole], got[hole], "an entry nobody kept keeps its previous value exactly");
            }
            assertArrayEquals(before, previous, "the previous model is not modified");
        }
    }

    @Test
    void keptMeansInsideTheMaskEvenForAZeroValue() {
        float[] previous = {10, 10, 10};
        Mask both = Mask.fromIndices(3, new int[] {0, 1});
        // entry 0: kept by both, one value is exactly 0 -> (0 + 4) / 2 = 2 (the authors' W != 0 rule gives 4)
        // entry 1: kept by both -> 3; entry 2: kept by nobody, whatever the arrays hold -> previous
        float[] a = {0, 2, 99};
        float[] b = {4, 4, -99};
        float[] out = MaskFedAvg.aggregate(previous, List.of(a, b), Arrays.asList(both, both), new double[] {1, 1}, 1);
        assertArrayEquals(new float[] {2, 3, 10}, out);
    }

    @Test
    void weightsAndTheGlobalRateMix() {
        float[] previous = {8, 8};
        Mask first = Mask.fromIndices(2, new int[] {0});
        // entry 0: (3 * 0 + 1 * 4) / 4 = 1; entry 1: only the whole-model update, 4
        float[] out = MaskFedAvg.aggregate(previous, List.of(new float[] {0, 77}, new float[] {4, 4}),
                Arrays.asList(first, null), new double[] {3, 1}, 1);
        assertArrayEquals(new float[] {1, 4}, out);
        float[] half = MaskFedAvg.aggregate(previous, List.of(new float[] {0, 77}, new float[] {4, 4}),
                Arrays.asList(first, null), new double[] {3, 1}, 0.5);
        assertArrayEquals(new float[] {4.5f, 6}, half);
        // weight 0 everywhere: nothing is averaged, the previous model comes back (as a copy)
        float[] none = MaskFedAvg.aggregate(previous, List.of(new float[] {1, 1}), Arrays.asList((Mask) null),
                new double[] {0}, 1);
        assertArrayEquals(previous, none);
        assertTrue(none != previous);
    }

    @Test
    void inputsAreChecked() {
        float[] prev = new float[4];
        List<float[]> one = List.of(new float[4]);
        List<Mask> full = Arrays.asList((Mask) null);
        assertThrows(IllegalArgumentException.class, () -> MaskFedAvg.aggregate(prev, one, full, new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> MaskFedAvg.aggregate(prev, one, full, new double[] {1}, 1.5));
        assertThrows(IllegalArgumentException.class, () -> MaskFedAvg.aggregate(prev, one, full, new double[] {-1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MaskFedAvg.aggregate(prev, one, full, new double[] {Double.NaN}, 1));
        assertThrows(IllegalArgumentException.class, () -> MaskFedAvg.aggregate(prev, one, full, new double[] {1, 1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MaskFedAvg.aggregate(prev, List.of(new float[3]), full, new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> MaskFedAvg.aggregate(prev, one, List.of(Mask.all(5)), new double[] {1}, 1));
    }
}
