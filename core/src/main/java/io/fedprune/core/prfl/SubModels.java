package io.fedprune.core.prfl;

import io.fedprune.core.density.DensityController;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.DensityLevels;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.SegmentFilter;
import io.fedprune.core.prune.SquaredGradientImportance;
import io.fedprune.core.strategy.ArrivedUpdate;
import java.util.EnumSet;

/**
 * PR-FL's sub-models (ALGORITHMS.md §6, stage 1 and "Pruning"): each client's density from its
 * recent round times ({@link DensityController}), the importance of every weight (squared changes
 * accumulated from the clients' uploads; {@code gMin·|w|} where no upload informed it), and the
 * nested masks of one global ranking ({@link DensityLevels}), rebuilt at each re-split.
 *
 * <p>Between re-splits the masks stay fixed, so every client of a level trains the same entries
 * and the residual increments of one split serve every download until the next.
 * All weights are prunable, biases never (they are few and a pruned bias shifts a whole unit).
 */
final class SubModels {
    static final SegmentFilter PRUNABLE = new SegmentFilter(
            EnumSet.of(SegmentKind.CONV, SegmentKind.DENSE, SegmentKind.OUTPUT), true);

    private final ParameterLayout layout;
    private final DensityController densities;
    private final SquaredGradientImportance importance;
    private DensityLevels levels;

    SubModels(ParameterLayout layout, DensityController densities) {
        this.layout = layout;
        this.densities = densities;
        this.importance = new SquaredGradientImportance(layout.totalLength());
    }

    /**
     * What one arrival tells: the client's round time and, from the change it made to the entries
     * it held, the importance of those entries.
     */
    void observe(ArrivedUpdate u) {
        if (u.roundMicros() > 0) {
            densities.observe(u.clientId(), u.roundMicros() / 1e6);
        }
        float[] base = u.base();
        if (base == null) {
            return; // the server keeps no base models for this run: no importance from this upload
        }
        float[] delta = new float[base.length];
        float[] p = u.params();
        for (int i = 0; i < delta.length; i++) {
            delta[i] = p[i] - base[i]; // both 0 outside the client's mask
        }
        importance.accumulate(delta);
    }

    /** Recomputes every client's density and the nested masks from the importance at {@code global}. */
    void resplit(float[] global) {
        levels = DensityLevels.build(layout, importance.scores(global, null), PRUNABLE, densities.densities());
    }

    /** The mask client {@code clientId} trains now, or null for the whole model (or before the first split). */
    Mask maskOf(int clientId) {
        if (levels == null) {
            return null;
        }
        Mask m = levels.maskOf(clientId);
        return m.cardinality() == m.size() ? null : m;
    }

    /** The levels of the current split, ascending (each mask a subset of the next); null before the first. */
    DensityLevels levels() {
        return levels;
    }

    /** Mean over clients of the fraction of the model each is sent (1 before the first split). */
    double meanDensity() {
        if (levels == null) {
            return 1.0;
        }
        double sum = 0;
        for (int c = 0; c < levels.clients(); c++) {
            sum += levels.maskOf(c).density();
        }
        return sum / levels.clients();
    }

    /** Smallest fraction of the model any client is sent (1 before the first split). */
    double minDensity() {
        return levels == null ? 1.0 : levels.masks().get(0).density();
    }

    DensityController densities() {
        return densities;
    }
}
