package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import java.util.Objects;

/**
 * What to prune and how to rank it: an importance score, the prunable segments and whether one
 * threshold spans them all. Entries outside the filter are always kept. Ties in score are broken
 * by lower index, so a policy is a pure function of its inputs.
 *
 * @param score  importance of each entry (higher is kept first)
 * @param filter which entries may be pruned
 * @param scope  one ranking over all prunable entries, or the same kept fraction in each segment
 */
public record PruningPolicy(ImportanceScore score, SegmentFilter filter, Scope scope) {

    public enum Scope {
        /**
         * Rank all prunable entries together: layers whose weights matter less lose more. This is
         * what PR-FL does, and the only scope under which masks of different densities nest.
         */
        GLOBAL,
        /**
         * Keep {@code round(density * length)} entries of every prunable segment: no layer can be
         * pruned away entirely, whatever the scale of its scores.
         */
        PER_LAYER
    }

    public PruningPolicy {
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * The mask keeping a {@code density} fraction of the prunable entries (all non-prunable ones
     * are kept as well). With GLOBAL scope exactly {@code round(density * prunable)} prunable
     * entries are kept; with PER_LAYER the rounding is per segment.
     *
     * @param reference passed to the score (may be null if the score does not use one)
     * @param density   kept fraction of the prunable entries, in [0, 1]
     */
    public Mask select(ParameterLayout layout, float[] params, float[] reference, double density) {
        if (!(density >= 0.0 && density <= 1.0)) {
            throw new IllegalArgumentException("density must be in [0, 1], got " + density);
        }
        if (params.length != layout.totalLength()) {
            throw new IllegalArgumentException("params have " + params.length + " values, the layout has "
                    + layout.totalLength());
        }
        float[] scores = score.scores(params, reference);
        if (scores.length != params.length) {
            throw new IllegalStateException(score + " returned " + scores.length + " scores for " + params.length
                    + " params");
        }
        return selectByScores(layout, scores, filter, scope, density);
    }

    /** The selection step alone, for callers that already hold scores. */
    public static Mask selectByScores(ParameterLayout layout, float[] scores, SegmentFilter filter, Scope scope,
            double density) {
        int n = layout.totalLength();
        if (scores.length != n) {
            throw new IllegalArgumentException("scores have " + scores.length + " values, the layout has " + n);
        }
        long[] prunable = filter.prunableWords(layout);
        // start from the complement of the prunable set: non-prunable entries are always kept
        long[] out = new long[prunable.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ~prunable[i];
        }
        if (n % 64 != 0 && out.length > 0) {
            out[out.length - 1] &= (1L << (n % 64)) - 1;
        }
        if (scope == Scope.GLOBAL) {
            int count = 0;
            for (long w : prunable) {
                count += Long.bitCount(w);
            }
            TopK.select(scores, false, prunable, 0, n, TopK.keepCount(density, count, "density"), out);
        } else {
            TopK.keepCount(density, 0, "density");
            for (ParameterSegment s : filter.prunableSegments(layout)) {
                TopK.select(scores, false, null, s.offset(), s.end(), TopK.keepCount(density, s.length(), "density"),
                        out);
            }
        }
        return Mask.fromWords(n, out);
    }
}
