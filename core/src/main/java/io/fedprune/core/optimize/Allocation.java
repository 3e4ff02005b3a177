package io.fedprune.core.optimize;

import java.util.List;

/**
 * The allocator's answer: one pruning ratio per tier, one grant per scheduled user, and every user
 * it could not schedule with the reason. Every grant satisfies its constraints (deadline, power
 * cap, energy budget) and the grants' bandwidths sum to at most the total: nothing is silently
 * violated.
 *
 * @param tierRatios      rho_m per tier, in tier order (0 for a tier with no scheduled user)
 * @param grants          per scheduled user, in the problem's user order
 * @param infeasible      users left out, in the problem's user order
 * @param multiplier      lambda, the bandwidth constraint's Lagrange multiplier (0 when bandwidth is not scarce)
 * @param penalty         the objective sum_m beta_m rho_m over tiers with scheduled users
 * @param bandwidthUsedHz the sum of the granted bandwidths
 */
public record Allocation(List<Double> tierRatios, List<Grant> grants, List<InfeasibleUser> infeasible,
                         double multiplier, double penalty, double bandwidthUsedHz) {

    public Allocation {
        tierRatios = List.copyOf(tierRatios);
        grants = List.copyOf(grants);
        infeasible = List.copyOf(infeasible);
    }

    /**
     * What one user gets, and what it will then take.
     *
     * @param userId      the user
     * @param tier        its tier
     * @param ratio       the tier's pruning ratio
     * @param bandwidthHz B_u
     * @param powerW      p_u
     * @param latencyS    compute plus upload time with this grant (at most the tier's deadline)
     * @param energyJ     compute plus transmit energy with this grant
     */
    public record Grant(int userId, int tier, double ratio, double bandwidthHz, double powerW, double latencyS,
                        double energyJ) {
    }
}
