package io.fedprune.core.prune;

/**
 * Global unstructured magnitude pruning: one threshold over the whole parameter vector, no
 * distinction between layers or tensor kinds. For layer- or kind-aware pruning use
 * {@link PruningPolicy}.
 */
public final class MagnitudePruner {
    private MagnitudePruner() {
    }

    /**
     * Keeps the {@code round(keepFraction * n)} entries of largest {@code |value|}; among equal
     * magnitudes the lower index is kept first, so the result is a pure function of the input.
     * Runs in O(n).
     *
     * @throws IllegalArgumentException if {@code keepFraction} is outside [0, 1] or NaN, or a
     *                                  parameter is NaN
     */
    public static Mask keepLargest(float[] params, double keepFraction) {
        int n = params.length;
        int k = TopK.keepCount(keepFraction, n, "keepFraction");
        long[] words = new long[(n + 63) >>> 6];
        TopK.select(params, true, null, 0, n, k, words);
        return Mask.fromWords(n, words);
    }
}
