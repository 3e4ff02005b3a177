package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;
import java.util.Arrays;
import java.util.List;

/**
 * The distinct sub-models of one PR-FL re-split (ALGORITHMS.md §6, "Pruning" and "Residual split
 * download"): every client's density becomes a count of kept prunable entries,
 * {@code round(density × prunable)}; the distinct counts, ascending, are the levels, each with
 * the mask {@link NestedMasks} builds from one global ranking, so a lower level's mask is a
 * subset of every higher one's; each client is sent its level's mask.
 *
 * <p>Clients whose densities round to the same count share a level (their masks would be equal),
 * so the levels are strictly nested and no residual increment is empty. For PR-FL's importance,
 * the scores are {@link SquaredGradientImportance#scores} of the global model: the squared
 * updates accumulated from client uploads, and {@code gMin·|w|} for weights no upload informed.
 * Entries outside the {@link SegmentFilter} are kept at every level.
 */
public final class DensityLevels {
    private final List<Mask> masks;
    private final int[] levelOf;

    private DensityLevels(List<Mask> masks, int[] levelOf) {
        this.masks = masks;
        this.levelOf = levelOf;
    }

    /**
     * @param scores          importance of every entry of the layout (higher is kept first; ties go
     *                        to the lower index)
     * @param clientDensities each client's kept fraction of the prunable entries, in [0, 1], by client id
     * @throws IllegalArgumentException if a density is outside [0, 1], there is no client, or the
     *                                  scores do not match the layout
     */
    public static DensityLevels build(ParameterLayout layout, float[] scores, SegmentFilter filter,
            double[] clientDensities) {
        if (clientDensities.length == 0) {
            throw new IllegalArgumentException("no client densities to build levels for");
        }
        int prunable = filter.prunable(layout).cardinality();
        int[] keep = new int[clientDensities.length];
        for (int c = 0; c < keep.length; c++) {
            keep[c] = TopK.keepCount(clientDensities[c], prunable, "density of client " + c);
        }
        int[] counts = Arrays.stream(keep).distinct().sorted().toArray();
        double[] representative = new double[counts.length];
        int[] levelOf = new int[keep.length];
        for (int c = 0; c < keep.length; c++) {
            levelOf[c] = Arrays.binarySearch(counts, keep[c]);
            representative[levelOf[c]] = clientDensities[c]; // any density of the level keeps the same count
        }
        return new DensityLevels(NestedMasks.build(layout, scores, filter, representative), levelOf);
    }

    /** Number of distinct levels, at least 1. */
    public int levels() {
        return masks.size();
    }

    /** The masks of the levels, ascending: each a proper subset of the next. */
    public List<Mask> masks() {
        return masks;
    }

    /** The level (0 = smallest sub-model) of {@code client}. */
    public int levelOf(int client) {
        if (client < 0 || client >= levelOf.length) {
            throw new IllegalArgumentException("client " + client + " out of range [0, " + levelOf.length + ")");
        }
        return levelOf[client];
    }

    /** The mask {@code client} is sent. */
    public Mask maskOf(int client) {
        return masks.get(levelOf(client));
    }

    public int clients() {
        return levelOf.length;
    }
}
