package io.fedprune.core.optimize;

import io.fedprune.core.system.ShannonRate;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.univariate.BrentOptimizer;
import org.hipparchus.optim.univariate.SearchInterval;
import org.hipparchus.optim.univariate.UnivariateObjectiveFunction;
import org.hipparchus.optim.univariate.UnivariatePointValuePair;

/**
 * A slow reference for {@link KktBandwidthAllocator} that shares none of its machinery but the
 * Shannon inverse: it searches over how the total bandwidth is split between the tiers (nested
 * Hipparchus Brent minimisations, one level per tier after the first), and for a tier given its
 * bandwidth finds the least feasible ratio by plain bisection on the members' summed needs, each
 * need computed here from the model's equations. No multipliers, no derivatives. With convex
 * tier needs the objective is convex in the split, so Brent finds the global optimum.
 *
 * <p>Works for all users feasible (the caller checks the KKT solver scheduled everyone).
 */
final class ReferenceAllocation {
    private final AllocationProblem p;
    private final List<List<AllocationUser>> tiers = new ArrayList<>();

    ReferenceAllocation(AllocationProblem p) {
        this.p = p;
        for (int m = 0; m < p.tiers().size(); m++) {
            List<AllocationUser> members = new ArrayList<>();
            for (AllocationUser u : p.users()) {
                if (u.tier() == m) {
                    members.add(u);
                }
            }
            if (!members.isEmpty()) {
                tiers.add(members);
            }
        }
    }

    /** The least penalty over all splits of the bandwidth between the occupied tiers. */
    double optimum() {
        return best(0, p.totalBandwidthHz());
    }

    /** min over splits of {@code bandwidth} between tiers k.. of their penalties. */
    private double best(int k, double bandwidth) {
        if (k == tiers.size() - 1) {
            return penalty(k, bandwidth);
        }
        BrentOptimizer brent = new BrentOptimizer(1e-12, 1e-300);
        UnivariatePointValuePair r = brent.optimize(new MaxEval(2000), GoalType.MINIMIZE,
                new SearchInterval(0, 1, 0.5),
                new UnivariateObjectiveFunction(s -> penalty(k, s * bandwidth) + best(k + 1, (1 - s) * bandwidth)));
        // a bound can be optimal (one tier needs no more); Brent only approaches it
        return Math.min(r.getValue(), Math.min(penalty(k, 0) + best(k + 1, bandwidth),
                penalty(k, bandwidth) + best(k + 1, 0)));
    }

    /** beta rho for tier k on {@code bandwidth}: the least rho whose needs fit, or a large penalty if none does. */
    private double penalty(int k, double bandwidth) {
        List<AllocationUser> members = tiers.get(k);
        double weight = p.tiers().get(members.get(0).tier()).weight();
        double rhoMax = p.maxRatio();
        double atMax = need(members, rhoMax);
        if (!(atMax <= bandwidth)) {
            return 1e6 + (atMax - bandwidth) / p.totalBandwidthHz(); // infeasible split, steered away from
        }
        if (need(members, 0) <= bandwidth) {
            return 0;
        }
        double lo = 0;
        double hi = rhoMax;
        for (int i = 0; i < 200 && hi - lo > 0; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (need(members, mid) <= bandwidth) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return weight * hi;
    }

    private double need(List<AllocationUser> members, double rho) {
        double sum = 0;
        for (AllocationUser u : members) {
            sum += need(u, rho);
        }
        return sum;
    }

    /** The least bandwidth for u at rho, straight from ALGORITHMS.md §1 and §3's power rule. */
    double need(AllocationUser u, double rho) {
        double t = p.tiers().get(u.tier()).deadlineS() - u.denseComputeS() * (1 - p.computeReduction() * rho);
        if (t <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double bits = p.payload().bits(rho);
        double power = u.maxPowerW();
        if (u.energyBudgetJ() < Double.POSITIVE_INFINITY) {
            double left = u.energyBudgetJ() - u.denseComputeEnergyJ() * (1 - p.computeReduction() * rho);
            power = Math.min(power, left / t);
        }
        if (power <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double limit = power * u.channelGain() / ShannonRate.noisePsdWattsPerHz(p.noiseDbmPerHz()) / Math.log(2);
        if (bits / t >= limit * (1 - 1e-12)) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return ShannonRate.minBandwidthForRate(bits / t, power, u.channelGain(), p.noiseDbmPerHz());
        } catch (IllegalArgumentException e) {
            return Double.POSITIVE_INFINITY;
        }
    }
}
