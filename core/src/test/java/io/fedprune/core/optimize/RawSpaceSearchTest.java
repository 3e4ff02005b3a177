package io.fedprune.core.optimize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.system.ShannonRate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleBounds;
import org.hipparchus.optim.SimpleValueChecker;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.hipparchus.random.MersenneTwister;
import org.junit.jupiter.api.Test;

/**
 * The KKT solver reduces P to one variable per tier by assuming that at the optimum every user
 * sends at the most power it may and gets just the bandwidth its deadline needs. This test does
 * not assume either: Hipparchus' CMA-ES searches each user's bandwidth share and transmit power
 * freely, and each tier's ratio is then the largest of its users' least ratios that meet the
 * deadline and energy budget (plain bisection), so every point it finds is feasible. No such point
 * may beat the KKT penalty; and the search must reach it (to 1e-6 relative) in most instances, or
 * the check would be vacuous.
 */
class RawSpaceSearchTest {

    /** The least ratio in [0, rho_max] meeting u's deadline and budget on (b, power), or NaN. */
    private static double leastRatio(AllocationProblem p, AllocationUser u, double b, double power) {
        double n0 = ShannonRate.noisePsdWattsPerHz(p.noiseDbmPerHz());
        double rate = b > 0 && power > 0 ? b * Math.log1p(power * u.channelGain() / (n0 * b)) / Math.log(2) : 0;
        double deadline = p.tierOf(u).deadlineS();
        java.util.function.DoublePredicate ok = rho -> {
            double shrink = 1 - p.computeReduction() * rho;
            double upload = p.payload().bits(rho) / rate;
            return u.denseComputeS() * shrink + upload <= deadline
                    && u.denseComputeEnergyJ() * shrink + power * upload <= u.energyBudgetJ();
        };
        if (!(rate > 0) || !ok.test(p.maxRatio())) {
            return Double.NaN;
        }
        if (ok.test(0)) {
            return 0;
        }
        double lo = 0;
        double hi = p.maxRatio();
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (ok.test(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /** x = bandwidth weights then power fractions, each in [0, 1]. Infeasible points cost 10 + how many users miss. */
    private static double penalty(AllocationProblem p, double[] x) {
        int n = p.users().size();
        double weights = 0;
        for (int i = 0; i < n; i++) {
            weights += x[i];
        }
        double[] tierRatio = new double[p.tiers().size()];
        int missing = 0;
        for (int i = 0; i < n; i++) {
            AllocationUser u = p.users().get(i);
            double b = weights > 0 ? p.totalBandwidthHz() * x[i] / weights * (1 - 1e-12) : 0;
            double rho = leastRatio(p, u, b, u.maxPowerW() * x[n + i]);
            if (Double.isNaN(rho)) {
                missing++;
            } else {
                tierRatio[u.tier()] = Math.max(tierRatio[u.tier()], rho);
            }
        }
        double sum = 0;
        for (int m = 0; m < tierRatio.length; m++) {
            sum += p.tiers().get(m).weight() * tierRatio[m];
        }
        return missing > 0 ? 10 + missing : sum;
    }

    @Test
    void noFreelySearchedPowerAndBandwidthBeatsTheKktSolution() {
        SplittableRandom rng = new SplittableRandom(31);
        int close = 0;
        int compared = 0;
        for (int k = 0; k < 12; k++) {
            AllocationProblem p = RandomProblems.draw(rng, 2, 3, k % 2 == 1);
            Allocation a = KktBandwidthAllocator.solve(p);
            if (!a.infeasible().isEmpty() || a.penalty() == 0) {
                continue; // nothing to beat
            }
            compared++;
            int n = p.users().size();
            double[] start = new double[2 * n];
            Arrays.fill(start, 0, n, 0.5);
            Arrays.fill(start, n, 2 * n, 1.0);
            double[] lo = new double[2 * n];
            double[] hi = new double[2 * n];
            Arrays.fill(hi, 1.0);
            double[] sigma = new double[2 * n];
            Arrays.fill(sigma, 0.2);
            CMAESOptimizer cmaes = new CMAESOptimizer(3000, 0, true, 0, 0, new MersenneTwister(k), false,
                    new SimpleValueChecker(1e-13, 1e-15));
            PointValuePair best = cmaes.optimize(new MaxEval(60_000), new ObjectiveFunction(x -> penalty(p, x)),
                    GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lo, hi),
                    new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(24));
            double found = penalty(p, best.getPoint());
            assertTrue(found >= a.penalty() * (1 - 1e-9), "instance " + k + ": CMA-ES found " + found
                    + " below the KKT optimum " + a.penalty());
            if (found <= a.penalty() * (1 + 1e-6)) {
                close++;
            }
        }
        assertTrue(compared >= 5, "only " + compared + " instances with something to beat");
        assertTrue(close >= compared / 2, "CMA-ES came within 1e-6 of the KKT optimum in only " + close + " of " + compared);
    }
}
