package io.fedprune.core.split;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.MagnitudeImportance;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.PruningPolicy;
import io.fedprune.core.prune.SegmentFilter;
import java.util.EnumSet;

/**
 * Client-side dynamic pruning at rate ρ_f (ALGORITHMS.md §4): a magnitude mask over the client
 * part's weights (convolution kernels and dense weights, not biases), the same share in every
 * layer so no layer is pruned away, recomputed from the current weights every {@code every}
 * rounds. Between refreshes the mask holds: pruned weights are zeroed after every step and in any
 * part received from the fed server, so they stay exactly zero through training.
 *
 * @param rate  ρ_f in [0, 1); 0 prunes nothing
 * @param every recompute the mask at rounds 1, 1 + every, 1 + 2·every, ...
 */
public record ClientPruning(ParameterLayout layout, double rate, int every) {
    private static final PruningPolicy POLICY = new PruningPolicy(new MagnitudeImportance(),
            new SegmentFilter(EnumSet.of(SegmentKind.CONV, SegmentKind.DENSE), true), PruningPolicy.Scope.PER_LAYER);

    public ClientPruning {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("client prune rate must be in [0, 1), got " + rate);
        }
        if (every < 1) {
            throw new IllegalArgumentException("mask refresh interval must be >= 1 round, got " + every);
        }
    }

    /** Whether round {@code round} (1-based) recomputes the mask. */
    public boolean refreshes(long round) {
        return rate > 0 && (round - 1) % every == 0;
    }

    /** The mask keeping the largest {@code 1 - rate} of each weight tensor of {@code params}. */
    public Mask select(float[] params) {
        return POLICY.select(layout, params, null, 1 - rate);
    }

    /** The client's compute relative to the dense part: pruned weights cost no multiply-accumulates. */
    public double computeFactor() {
        return 1 - rate;
    }
}
