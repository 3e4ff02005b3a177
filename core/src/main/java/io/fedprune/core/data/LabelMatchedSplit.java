package io.fedprune.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A device's own test split: {@code size} test samples drawn (without replacement, seeded) so that
 * its label distribution is the device's training label distribution (ALGORITHMS.md §3 measures
 * personalized models this way, on non-IID data). Per class c the split takes n_c samples with
 * n_c the largest-remainder rounding of size * p_c, p_c the class's share of the training shard; a
 * class with fewer test samples than n_c gives all it has and the shortfall goes to the other
 * classes in proportion (so the split has {@code size} samples whenever the test set does).
 * Different devices draw independently: their splits may overlap, as two users' phones may hold
 * photos of the same kind.
 */
public final class LabelMatchedSplit {
    private LabelMatchedSplit() {
    }

    /**
     * Indices into {@code test} (ascending) for a device whose training labels are {@code trainLabels}.
     *
     * @throws IllegalArgumentException if size is below 1 or above the test set, or the shard is empty
     */
    public static int[] draw(Dataset test, int[] trainLabels, int size, long seed) {
        if (size < 1 || size > test.size()) {
            throw new IllegalArgumentException("a device test split needs 1.." + test.size() + " samples, got " + size);
        }
        if (trainLabels.length == 0) {
            throw new IllegalArgumentException("a device without training samples has no label distribution");
        }
        int classes = test.numClasses();
        long[] trainCounts = new long[classes];
        for (int l : trainLabels) {
            trainCounts[l]++;
        }
        List<int[]> byClass = new ArrayList<>();
        int[] available = new int[classes];
        for (int c = 0; c < classes; c++) {
            byClass.add(new int[test.size()]);
        }
        for (int i = 0; i < test.size(); i++) {
            int c = test.label(i);
            byClass.get(c)[available[c]++] = i;
        }
        int[] want = quotas(trainCounts, available, size);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] out = new int[size];
        int k = 0;
        for (int c = 0; c < classes; c++) {
            int[] pool = Arrays.copyOf(byClass.get(c), available[c]);
            // partial Fisher-Yates: the first want[c] of a seeded permutation
            for (int j = 0; j < want[c]; j++) {
                int pick = j + rng.nextInt(pool.length - j);
                int t = pool[j];
                pool[j] = pool[pick];
                pool[pick] = t;
                out[k++] = pool[j];
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Samples per class: largest-remainder shares of {@code size}, capped by what is available. */
    static int[] quotas(long[] weights, int[] available, int size) {
        int classes = weights.length;
        int[] want = new int[classes];
        int left = size;
        boolean[] full = new boolean[classes];
        while (left > 0) {
            double total = 0;
            for (int c = 0; c < classes; c++) {
                if (!full[c]) {
                    total += weights[c];
                }
            }
            if (total == 0) { // the device's classes ran out: fill from any class with samples left
                for (int c = 0; c < classes && left > 0; c++) {
                    int add = Math.min(left, available[c] - want[c]);
                    want[c] += add;
                    left -= add;
                }
                break;
            }
            int[] add = new int[classes];
            double[] rest = new double[classes];
            int given = 0;
            for (int c = 0; c < classes; c++) {
                if (!full[c]) {
                    double share = left * weights[c] / total;
                    add[c] = (int) Math.floor(share);
                    rest[c] = share - add[c];
                    given += add[c];
                }
            }
            for (int extra = left - given; extra > 0; extra--) { // largest remainders, lower class first
                int best = -1;
                for (int c = 0; c < classes; c++) {
                    if (!full[c] && weights[c] > 0 && (best < 0 || rest[c] > rest[best])) {
                        best = c;
                    }
                }
                add[best]++;
                rest[best] = -1;
            }
            for (int c = 0; c < classes; c++) {
                int take = Math.min(add[c], available[c] - want[c]);
                want[c] += take;
                left -= take;
                if (want[c] == available[c]) {
                    full[c] = true;
                }
            }
        }
        return want;
    }
}
