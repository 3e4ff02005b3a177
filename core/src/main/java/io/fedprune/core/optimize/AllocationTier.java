package io.fedprune.core.optimize;

import io.fedprune.core.system.Checks;

/**
 * One tier of the allocation problem: every user in it must finish its local round (compute and
 * upload) within {@code deadlineS}, and all its users share one pruning ratio (TT-Prune's
 * per-tier ratio, ALGORITHMS.md §2). {@code weight} is beta_m, what one unit of this tier's
 * pruning ratio costs in the convergence bound (beta_m proportional to the tier's aggregation
 * weight in the paper's reading); personalization (§3) is the special case of one user per tier.
 *
 * @param deadlineS T_m in seconds (m ΔT for TT-Prune, minus download time if modelled)
 * @param weight    beta_m &gt; 0
 */
public record AllocationTier(double deadlineS, double weight) {

    public AllocationTier {
        Checks.positiveFinite("deadlineS", deadlineS);
        Checks.positiveFinite("weight", weight);
    }
}
