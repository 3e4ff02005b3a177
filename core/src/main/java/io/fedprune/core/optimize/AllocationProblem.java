package io.fedprune.core.optimize;

import io.fedprune.core.system.Checks;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ALGORITHMS.md §2's problem P (and §3's with power): choose a pruning ratio rho_m per tier and a
 * bandwidth and transmit power per user to
 * <pre>
 *   minimise   sum_m beta_m rho_m
 *   subject to A_u (1 - kappa rho_m) + S(rho_m) / r_u(B_u, p_u) &lt;= T_m      (each user u in tier m)
 *              E_u^cmp (1 - kappa rho_m) + p_u S(rho_m) / r_u(B_u, p_u) &lt;= E_u  (when u has a budget)
 *              0 &lt;= p_u &lt;= p_u^max,  0 &lt;= rho_m &lt;= rho_max,  sum_u B_u &lt;= B_tot
 * </pre>
 * with r_u(B, p) = B log2(1 + p h_u / (N0 B)).
 *
 * @param payload          S(rho), the upload's bits
 * @param computeReduction kappa in [0, 1]: the share of compute removed per unit of pruning ratio
 *                         (1 when everything is prunable, the FC share of FLOPs for TT-Prune, 0 when
 *                         unstructured sparsity runs on dense kernels)
 * @param maxRatio         rho_max in [0, 1)
 * @param totalBandwidthHz B_tot
 * @param noiseDbmPerHz    N0, e.g. -174
 * @param tiers            the tiers, indexed by {@link AllocationUser#tier()}
 * @param users            the devices (ids unique)
 */
public record AllocationProblem(PayloadModel payload, double computeReduction, double maxRatio,
                                double totalBandwidthHz, double noiseDbmPerHz, List<AllocationTier> tiers,
                                List<AllocationUser> users) {

    public AllocationProblem {
        Objects.requireNonNull(payload, "payload");
        Checks.inClosedRange("computeReduction", computeReduction, 0, 1);
        // rho_max = 1 would send nothing of the prunable part; the closed forms divide by 1 - rho there
        if (!(maxRatio >= 0 && maxRatio < 1)) {
            throw new IllegalArgumentException("maxRatio must be in [0, 1), got " + maxRatio);
        }
        Checks.nonNegativeFinite("totalBandwidthHz", totalBandwidthHz);
        Checks.finite("noiseDbmPerHz", noiseDbmPerHz);
        tiers = List.copyOf(tiers);
        users = List.copyOf(users);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("an allocation problem needs at least one tier");
        }
        Set<Integer> ids = new HashSet<>();
        for (AllocationUser u : users) {
            if (u.tier() >= tiers.size()) {
                throw new IllegalArgumentException("user " + u.id() + " is in tier " + u.tier() + " but there are "
                        + tiers.size() + " tiers");
            }
            if (!ids.add(u.id())) {
                throw new IllegalArgumentException("user id " + u.id() + " appears twice");
            }
        }
    }

    /** The same problem over other users (after the caller moved infeasible ones). */
    public AllocationProblem withUsers(List<AllocationUser> newUsers) {
        return new AllocationProblem(payload, computeReduction, maxRatio, totalBandwidthHz, noiseDbmPerHz, tiers,
                newUsers);
    }

    public AllocationTier tierOf(AllocationUser user) {
        return tiers.get(user.tier());
    }
}
