package io.fedprune.core.prune;

/**
 * Deterministic top-k selection by score, shared by every pruning entry point so they all rank the
 * same way: larger score first, equal scores broken by lower index first, NaN rejected.
 *
 * <p>Selection is a two-level radix histogram over the 32-bit order-preserving encoding of the
 * float scores (high 16 bits, then low 16 bits within the boundary bucket), followed by one marking
 * pass. That is O(n) time with O(1) extra memory besides two 64K-entry histograms, which matters at
 * 10M parameters where sorting (score, index) pairs would need 80 MB and O(n log n) time.
 */
final class TopK {
    private TopK() {
    }

    /**
     * Sets in {@code out} the bits of the {@code k} highest-scoring candidates among indices
     * {@code [from, to)}; a candidate is an index whose bit is set in {@code candidates}, or every
     * index when {@code candidates} is null. Bits already set in {@code out} are left alone.
     *
     * @param abs rank by {@code |values[i]|} instead of {@code values[i]} (saves a copy of the vector)
     * @return the number of candidates in the range
     */
    static int select(float[] values, boolean abs, long[] candidates, int from, int to, int k, long[] out) {
        int[] hist = new int[1 << 16];
        int count = 0;
        for (int i = from; i < to; i++) {
            if (candidates == null || (candidates[i >>> 6] & (1L << i)) != 0) {
                hist[key(values[i], abs, i) >>> 16]++;
                count++;
            }
        }
        if (k < 0 || k > count) {
            throw new IllegalArgumentException("cannot keep " + k + " of " + count + " candidates");
        }
        if (k == 0) {
            return count;
        }
        // Highest bucket b such that (entries in buckets >= b) >= k.
        int above = 0;
        int hi = (1 << 16) - 1;
        while (above + hist[hi] < k) {
            above += hist[hi];
            hi--;
        }
        int need = k - above;
        java.util.Arrays.fill(hist, 0);
        for (int i = from; i < to; i++) {
            if (candidates == null || (candidates[i >>> 6] & (1L << i)) != 0) {
                int key = key(values[i], abs, i);
                if (key >>> 16 == hi) {
                    hist[key & 0xFFFF]++;
                }
            }
        }
        int lo = (1 << 16) - 1;
        while (hist[lo] < need) {
            need -= hist[lo];
            lo--;
        }
        // Every key strictly above the threshold is kept; of the keys equal to it, the first `need`
        // in index order are kept, which is the lower-index-wins tie rule.
        int threshold = (hi << 16) | lo;
        for (int i = from; i < to; i++) {
            if (candidates == null || (candidates[i >>> 6] & (1L << i)) != 0) {
                int c = Integer.compareUnsigned(key(values[i], abs, i), threshold);
                if (c > 0 || (c == 0 && need-- > 0)) {
                    out[i >>> 6] |= 1L << i;
                }
            }
        }
        return count;
    }

    /**
     * Order-preserving map from float to unsigned int: a &lt; b (as floats) iff key(a) &lt; key(b)
     * (unsigned). -0.0 is folded into +0.0 so that the two zeros tie instead of ranking apart.
     */
    static int key(float v, boolean abs, int index) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("score at index " + index + " is NaN");
        }
        if (abs) {
            v = Math.abs(v);
        }
        int bits = Float.floatToIntBits(v + 0.0f);
        // Negative floats order backwards in their bit pattern; flip their magnitude bits, then flip
        // the sign bit so that all negatives sort below all positives as unsigned ints.
        return (bits >= 0 ? bits : bits ^ 0x7FFFFFFF) ^ 0x80000000;
    }

    /** round(fraction * n), after checking fraction is in [0, 1]. */
    static int keepCount(double fraction, int n, String what) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], got " + fraction);
        }
        return (int) Math.round(fraction * n);
    }
}
