package io.fedprune.core.optimize;

import io.fedprune.core.system.Checks;
import java.util.OptionalDouble;
import org.hipparchus.analysis.solvers.AllowedSolution;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;

/**
 * The latency-tight pruning ratio of one user given its bandwidth (ALGORITHMS.md §2, step 1):
 * the least rho in [0, rho_max] with which it still makes its tier's deadline (and energy budget).
 *
 * <p>Without an energy budget this has the closed form
 * rho* = (A + S(0)/r - T) / (kappa A + q W_p / r) with r = r(B, p_max), clipped to [0, rho_max];
 * with a budget the power depends on rho (see {@link BandwidthDemand}), so the ratio is found as
 * the root of "bits the user can send in its time minus bits it must send", which rises with rho,
 * by Hipparchus' bracketing Brent solver, taking the root's feasible side. The tests check the
 * solver against the closed form.
 */
public final class PruningRatioPlanner {
    private static final int MAX_EVALUATIONS = 400;
    private final AllocationProblem problem;

    public PruningRatioPlanner(AllocationProblem problem) {
        this.problem = problem;
    }

    /**
     * The least pruning ratio with which {@code user} makes its deadline on {@code bandwidthHz};
     * empty when even rho_max does not.
     */
    public OptionalDouble ratioFor(AllocationUser user, double bandwidthHz) {
        Checks.nonNegativeFinite("bandwidthHz", bandwidthHz);
        double rhoMax = problem.maxRatio();
        if (slack(user, bandwidthHz, rhoMax) < 0) {
            return OptionalDouble.empty();
        }
        if (slack(user, bandwidthHz, 0) >= 0) {
            return OptionalDouble.of(0);
        }
        BracketingNthOrderBrentSolver solver = new BracketingNthOrderBrentSolver(1e-14, 1e-15, 1e-300, 5);
        double rho = solver.solve(MAX_EVALUATIONS, r -> slack(user, bandwidthHz, r), 0, rhoMax,
                AllowedSolution.ABOVE_SIDE);
        return OptionalDouble.of(rho);
    }

    /**
     * Bits {@code user} can upload in what its deadline leaves after computing at ratio
     * {@code rho}, on {@code bandwidthHz} at the most power its cap and budget allow, minus the
     * bits of the upload: negative means the deadline is missed.
     */
    public double slack(AllocationUser user, double bandwidthHz, double rho) {
        double shrink = 1 - problem.computeReduction() * rho;
        double uploadS = problem.tierOf(user).deadlineS() - user.denseComputeS() * shrink;
        double bits = problem.payload().bits(rho);
        if (!(uploadS > 0) || bandwidthHz == 0) {
            return -bits;
        }
        double power = BandwidthDemand.transmitPower(user, shrink, uploadS);
        double gamma = ShannonBandwidth.gammaHz(power, user.channelGain(), problem.noiseDbmPerHz());
        return ShannonBandwidth.rateBps(bandwidthHz, gamma) * uploadS - bits;
    }

    /**
     * Latency of {@code user} at ratio {@code rho} on {@code bandwidthHz} at power {@code powerW}:
     * t_cmp + S / r. What every solution is checked against.
     */
    public double latencyS(AllocationUser user, double rho, double bandwidthHz, double powerW) {
        double compute = user.denseComputeS() * (1 - problem.computeReduction() * rho);
        double gamma = ShannonBandwidth.gammaHz(powerW, user.channelGain(), problem.noiseDbmPerHz());
        return compute + problem.payload().bits(rho) / ShannonBandwidth.rateBps(bandwidthHz, gamma);
    }

    /** Energy of {@code user} at ratio {@code rho}: compute energy plus p S / r. */
    public double energyJ(AllocationUser user, double rho, double bandwidthHz, double powerW) {
        double compute = user.denseComputeEnergyJ() * (1 - problem.computeReduction() * rho);
        double gamma = ShannonBandwidth.gammaHz(powerW, user.channelGain(), problem.noiseDbmPerHz());
        return compute + powerW * problem.payload().bits(rho) / ShannonBandwidth.rateBps(bandwidthHz, gamma);
    }
}
