package io.fedprune.core.aggregate;

import io.fedprune.core.prune.Mask;
import java.util.List;

/**
 * PR-FL's mask-aware averaging of sub-models (ALGORITHMS.md §6, MaskFedAvg steps 1–4): each entry
 * is averaged over the updates that kept it, and an entry nobody kept keeps its previous value,
 * so pruning never zeroes a weight of the global model:
 * <pre>
 *   W_new[j] = sum_i w_i W_i[j] 1[i kept j] / sum_i w_i 1[i kept j]      (the sum is &gt; 0)
 *   W_new[j] = W_prev[j]                                                 (otherwise)
 *   W[j]     = (1 - eta_g) W_prev[j] + eta_g W_new[j]
 * </pre>
 * with w_i = p_i n_i in PR-FL (staleness weight times samples; any w_i &gt;= 0 here).
 *
 * <p><b>"Kept" means inside the client's mask</b>, not "non-zero": a kept weight may legitimately
 * be exactly 0 (a bias that started at 0 and got no gradient, a value a lossy uplink codec
 * zeroed), and it then pulls the average towards 0 as it should. Entries outside a client's mask
 * are ignored whatever their value. The authors' code tests {@code W_i != 0} instead, which is
 * the same when masked training keeps pruned weights at exactly 0 and no kept weight is 0.
 *
 * <p>Sums are in double, in the order of the update list, so results do not depend on float
 * rounding order. Cost: one pass over each update's kept entries (whole 64-entry words of a mask
 * in a same-index loop, which the JIT vectorizes; partial words bit by bit) and one pass to
 * write the result; no allocation per entry.
 */
public final class MaskFedAvg {
    private MaskFedAvg() {
    }

    /**
     * The next global model.
     *
     * @param previous W^(n-1), not modified
     * @param params   each update's model, full length
     * @param masks    each update's mask, null for the whole model (same order as {@code params})
     * @param weights  each update's weight w_i &gt;= 0 (same order)
     * @param globalLr eta_g in (0, 1]; 1 publishes W_new
     * @return a new array
     */
    public static float[] aggregate(float[] previous, List<float[]> params, List<Mask> masks, double[] weights,
                                    double globalLr) {
        int n = previous.length;
        check(n, params, masks, weights, globalLr);
        double[] num = new double[n];
        double[] den = new double[n];
        double wholeModelWeight = 0; // updates without a mask keep every entry: one scalar, not a pass
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (w == 0) {
                continue;
            }
            float[] p = params.get(i);
            Mask mask = masks.get(i);
            if (mask == null) {
                for (int j = 0; j < n; j++) {
                    num[j] += w * p[j];
                }
                wholeModelWeight += w;
            } else {
                addKept(num, den, p, w, mask.words());
            }
        }
        float[] out = new float[n];
        double keep = 1 - globalLr;
        for (int j = 0; j < n; j++) {
            double d = den[j] + wholeModelWeight;
            out[j] = d > 0 ? (float) (keep * previous[j] + globalLr * (num[j] / d)) : previous[j];
        }
        return out;
    }

    private static void addKept(double[] num, double[] den, float[] p, double w, long[] words) {
        for (int wi = 0; wi < words.length; wi++) {
            long word = words[wi];
            if (word == 0) {
                continue;
            }
            int base = wi << 6;
            if (word == -1L) { // a whole word is kept: 64 entries, all inside the model
                int end = base + 64;
                for (int j = base; j < end; j++) {
                    num[j] += w * p[j];
                    den[j] += w;
                }
                continue;
            }
            while (word != 0) {
                int j = base + Long.numberOfTrailingZeros(word);
                num[j] += w * p[j];
                den[j] += w;
                word &= word - 1;
            }
        }
    }

    private static void check(int n, List<float[]> params, List<Mask> masks, double[] weights, double globalLr) {
        if (params.size() != weights.length || masks.size() != weights.length) {
            throw new IllegalArgumentException("MaskFedAvg needs one model, mask and weight per update, got "
                    + params.size() + ", " + masks.size() + " and " + weights.length);
        }
        if (!(globalLr > 0 && globalLr <= 1)) {
            throw new IllegalArgumentException("global learning rate eta_g must be in (0, 1], got " + globalLr);
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("update " + i + "'s weight must be a finite number >= 0, got "
                        + weights[i]);
            }
            if (params.get(i).length != n) {
                throw new IllegalArgumentException("update " + i + " has " + params.get(i).length
                        + " parameters, the model " + n);
            }
            Mask m = masks.get(i);
            if (m != null && m.size() != n) {
                throw new IllegalArgumentException("update " + i + "'s mask has " + m.size() + " entries, the model " + n);
            }
        }
    }
}
