package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Masks of several densities from one global ranking (PR-FL, ALGORITHMS.md §6): each lower
 * density's mask is a subset of every higher one's, so a client moving to a higher density only
 * gains weights and the server can send sub-models as residuals.
 *
 * <p>The ranking is the strict total order (score descending, index ascending); the top-k sets of
 * a strict order are prefixes of it, hence nested. Each mask is computed by the same O(n) selection
 * rather than by materialising a sort.
 */
public final class NestedMasks {
    private NestedMasks() {
    }

    /**
     * One mask per entry of {@code densities}, in the same order; each keeps
     * {@code round(density * prunable)} of the prunable entries and all non-prunable ones.
     *
     * @throws IllegalArgumentException if a density is outside [0, 1] or the scores do not match
     *                                  the layout
     */
    public static List<Mask> build(ParameterLayout layout, float[] scores, SegmentFilter filter, double[] densities) {
        for (double d : densities) {
            if (!(d >= 0.0 && d <= 1.0)) {
                throw new IllegalArgumentException("density must be in [0, 1], got " + d);
            }
        }
        List<Mask> out = new ArrayList<>(densities.length);
        for (double d : densities) {
            out.add(PruningPolicy.selectByScores(layout, scores, filter, PruningPolicy.Scope.GLOBAL, d));
        }
        return List.copyOf(out);
    }
}
