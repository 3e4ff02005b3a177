package io.fedprune.core.optimize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.analysis.solvers.AllowedSolution;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;

/**
 * Solves {@link AllocationProblem} (ALGORITHMS.md §2 problem P, with §3's power) through its KKT
 * conditions.
 *
 * <p>Each user's deadline binds at the optimum (slack bandwidth could go to another tier), so a
 * tier's pruning ratio rho fixes its bandwidth need G_m(rho) = sum_u B_u(rho) ({@link
 * BandwidthDemand}), and P becomes: minimise sum_m beta_m rho_m subject to sum_m G_m(rho_m) &lt;=
 * B_tot, rho_m in [rho_min,m, rho_max], where rho_min,m is the least ratio at which every user of
 * the tier can make the deadline at all. G_m falls with rho and, without energy budgets, is convex
 * (B_min is convex increasing in the rate, and the rate S(rho) / (T - A(1 - kappa rho)) is convex
 * in rho), so the Lagrangian's stationarity condition beta_m + lambda G_m'(rho_m) = 0 picks each
 * tier's ratio for a multiplier lambda, and lambda is set so that the bandwidth is used up
 * (complementary slackness: lambda = 0 when unpruned models already fit). Both 1-D equations are
 * solved with Hipparchus' bracketing Brent solver; the outer one in log lambda, taking the side
 * where the bandwidth fits, so the answer never exceeds B_tot by rounding. With energy budgets the
 * power, and so G_m, can bend the other way; the tests compare such instances with a reference
 * optimiser as well.
 *
 * <p>Users who cannot be scheduled are reported in {@link Allocation#infeasible()}, never granted
 * a violating allocation: those who cannot make the deadline at rho_max with unlimited bandwidth
 * or with all of B_tot, and, when the rest need more than B_tot at rho_max, the ones with the
 * largest need at rho_max, one at a time until the rest fit (fewest users moved per Hz freed).
 */
public final class KktBandwidthAllocator {
    private static final int MAX_EVALUATIONS = 500;
    private static final double RATIO_ACCURACY = 1e-13;
    /**
     * Share of B_tot held back from the solve: sums over tiers and over users add the same needs
     * in different orders, so without it the grants could exceed B_tot by an ulp.
     */
    private static final double ROUNDING_RESERVE = 1e-12;

    private final AllocationProblem problem;
    private final PruningRatioPlanner planner;
    private final double usableHz;

    public KktBandwidthAllocator(AllocationProblem problem) {
        this.problem = problem;
        this.planner = new PruningRatioPlanner(problem);
        this.usableHz = problem.totalBandwidthHz() * (1 - ROUNDING_RESERVE);
    }

    public static Allocation solve(AllocationProblem problem) {
        return new KktBandwidthAllocator(problem).solve();
    }

    public Allocation solve() {
        List<InfeasibleUser> infeasible = new ArrayList<>();
        List<AllocationUser> scheduled = screen(infeasible);
        List<Tier> tiers = new ArrayList<>();
        for (int m = 0; m < problem.tiers().size(); m++) {
            List<AllocationUser> members = new ArrayList<>();
            for (AllocationUser u : scheduled) {
                if (u.tier() == m) {
                    members.add(u);
                }
            }
            tiers.add(new Tier(m, problem.tiers().get(m).weight(), members));
        }
        double lambda = multiplier(tiers);
        double[] ratios = new double[tiers.size()];
        for (Tier t : tiers) {
            ratios[t.index] = t.members.isEmpty() ? 0 : t.ratio(lambda);
        }
        return allocation(ratios, scheduled, infeasible, lambda);
    }

    /** Users who can be scheduled at all; the others go to {@code infeasible} with their reason. */
    private List<AllocationUser> screen(List<InfeasibleUser> infeasible) {
        double rhoMax = problem.maxRatio();
        List<AllocationUser> feasible = new ArrayList<>();
        List<Double> needs = new ArrayList<>();
        for (AllocationUser u : problem.users()) {
            InfeasibleUser reason = unreachable(u, rhoMax);
            if (reason != null) {
                infeasible.add(reason);
                continue;
            }
            double need = BandwidthDemand.of(problem, u, rhoMax).bandwidthHz();
            if (!(need <= usableHz)) {
                infeasible.add(new InfeasibleUser(u.id(), u.tier(),
                        InfeasibleUser.Reason.NEEDS_MORE_THAN_TOTAL_BANDWIDTH, "needs " + need
                        + " Hz at the largest pruning ratio " + rhoMax + ", the total is " + problem.totalBandwidthHz()
                        + " Hz"));
                continue;
            }
            feasible.add(u);
            needs.add(need);
        }
        double sum = needs.stream().mapToDouble(Double::doubleValue).sum();
        List<Integer> byNeed = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            byNeed.add(i);
        }
        byNeed.sort(Comparator.<Integer>comparingDouble(needs::get).reversed().thenComparingInt(i -> feasible.get(i).id()));
        boolean[] dropped = new boolean[feasible.size()];
        for (int k = 0; k < byNeed.size() && sum > usableHz; k++) {
            int i = byNeed.get(k);
            dropped[i] = true;
            sum -= needs.get(i);
            AllocationUser u = feasible.get(i);
            infeasible.add(new InfeasibleUser(u.id(), u.tier(), InfeasibleUser.Reason.BANDWIDTH_EXHAUSTED,
                    "needs " + needs.get(i) + " Hz at the largest pruning ratio " + rhoMax
                    + " and the users scheduled with it would exceed the total " + problem.totalBandwidthHz() + " Hz"));
        }
        List<AllocationUser> kept = new ArrayList<>();
        for (int i = 0; i < feasible.size(); i++) {
            if (!dropped[i]) {
                kept.add(feasible.get(i));
            }
        }
        List<Integer> order = problem.users().stream().map(AllocationUser::id).toList();
        infeasible.sort(Comparator.comparingInt(x -> order.indexOf(x.userId())));
        return kept;
    }

    /** Why {@code u} cannot make its deadline at {@code rho} even with unlimited bandwidth, or null. */
    private InfeasibleUser unreachable(AllocationUser u, double rho) {
        if (BandwidthDemand.margin(problem, u, rho) > 0) {
            return null;
        }
        double shrink = 1 - problem.computeReduction() * rho;
        double deadline = problem.tierOf(u).deadlineS();
        double compute = u.denseComputeS() * shrink;
        if (compute >= deadline) {
            return new InfeasibleUser(u.id(), u.tier(), InfeasibleUser.Reason.COMPUTE_EXCEEDS_DEADLINE,
                    "computing takes " + compute + " s at pruning ratio " + rho + ", the deadline is " + deadline + " s");
        }
        double computeEnergy = u.denseComputeEnergyJ() * shrink;
        if (u.hasEnergyBudget() && computeEnergy >= u.energyBudgetJ()) {
            return new InfeasibleUser(u.id(), u.tier(), InfeasibleUser.Reason.ENERGY_BUDGET_EXCEEDED,
                    "computing takes " + computeEnergy + " J at pruning ratio " + rho + ", the budget is "
                    + u.energyBudgetJ() + " J");
        }
        return new InfeasibleUser(u.id(), u.tier(), InfeasibleUser.Reason.CHANNEL_TOO_WEAK,
                "cannot send " + problem.payload().bits(rho) + " bits in " + (deadline - compute)
                + " s even with unlimited bandwidth (channel gain " + u.channelGain() + ")");
    }

    /**
     * lambda: 0 if every tier fits unpruned, else the root of sum_m G_m(rho_m(lambda)) = B_tot,
     * on the side where the sum fits.
     */
    private double multiplier(List<Tier> tiers) {
        double unpruned = 0;
        double lambdaAllMax = 0;
        for (Tier t : tiers) {
            if (!t.members.isEmpty()) {
                unpruned += t.lowest == 0 ? t.need(0) : Double.POSITIVE_INFINITY;
                double slope = t.slope(problem.maxRatio());
                if (slope < 0) {
                    lambdaAllMax = Math.max(lambdaAllMax, t.weight / -slope);
                }
            }
        }
        if (unpruned <= usableHz || lambdaAllMax == 0) {
            return 0;
        }
        double hi = Math.log(lambdaAllMax) + 1e-9;
        double lo = hi;
        for (int i = 0; i < 80 && excess(tiers, lo) <= 0; i++) {
            lo -= Math.log(1e4);
        }
        if (excess(tiers, lo) <= 0) {
            throw new IllegalStateException("no multiplier below " + Math.exp(hi) + " makes the bandwidth binding");
        }
        BracketingNthOrderBrentSolver solver = new BracketingNthOrderBrentSolver(1e-15, 1e-13, 0, 5);
        return Math.exp(solver.solve(MAX_EVALUATIONS, u -> excess(tiers, u), lo, hi, AllowedSolution.BELOW_SIDE));
    }

    /** Bandwidth the tiers need at multiplier e^logLambda, minus the total. */
    private double excess(List<Tier> tiers, double logLambda) {
        double lambda = Math.exp(logLambda);
        double sum = 0;
        for (Tier t : tiers) {
            if (!t.members.isEmpty()) {
                sum += t.need(t.ratio(lambda));
            }
        }
        return sum - usableHz;
    }

    private Allocation allocation(double[] ratios, List<AllocationUser> scheduled, List<InfeasibleUser> infeasible,
                                  double lambda) {
        List<Allocation.Grant> grants = new ArrayList<>();
        double used = 0;
        double penalty = 0;
        boolean[] occupied = new boolean[ratios.length];
        for (AllocationUser u : scheduled) {
            double rho = ratios[u.tier()];
            BandwidthDemand d = BandwidthDemand.of(problem, u, rho);
            grants.add(new Allocation.Grant(u.id(), u.tier(), rho, d.bandwidthHz(), d.powerW(),
                    planner.latencyS(u, rho, d.bandwidthHz(), d.powerW()),
                    planner.energyJ(u, rho, d.bandwidthHz(), d.powerW())));
            used += d.bandwidthHz();
            occupied[u.tier()] = true;
        }
        List<Double> ratioList = new ArrayList<>();
        for (int m = 0; m < ratios.length; m++) {
            ratioList.add(ratios[m]);
            if (occupied[m]) {
                penalty += problem.tiers().get(m).weight() * ratios[m];
            }
        }
        return new Allocation(ratioList, grants, infeasible, lambda, penalty, used);
    }

    /** One tier's users and its side of the KKT conditions. */
    private final class Tier {
        final int index;
        final double weight;
        final List<AllocationUser> members;
        /** rho_min,m: below it some member cannot make the deadline with any bandwidth. */
        final double lowest;

        Tier(int index, double weight, List<AllocationUser> members) {
            this.index = index;
            this.weight = weight;
            this.members = members;
            double low = 0;
            for (AllocationUser u : members) {
                low = Math.max(low, lowestFeasible(u));
            }
            this.lowest = low;
        }

        /** The root of the user's margin in [0, rho_max] (the margin is positive at rho_max after screening). */
        private double lowestFeasible(AllocationUser u) {
            if (BandwidthDemand.margin(problem, u, 0) > 0) {
                return 0;
            }
            BracketingNthOrderBrentSolver solver = new BracketingNthOrderBrentSolver(1e-15, 1e-15, 0, 5);
            return solver.solve(MAX_EVALUATIONS, r -> BandwidthDemand.margin(problem, u, r), 0, problem.maxRatio(),
                    AllowedSolution.ABOVE_SIDE);
        }

        double need(double rho) {
            double sum = 0;
            for (AllocationUser u : members) {
                sum += BandwidthDemand.of(problem, u, rho).bandwidthHz();
            }
            return sum;
        }

        /** G_m'(rho); -Infinity where some member has no finite demand (at or below rho_min). */
        double slope(double rho) {
            double sum = 0;
            for (AllocationUser u : members) {
                BandwidthDemand d = BandwidthDemand.of(problem, u, rho);
                if (!d.feasible()) {
                    return Double.NEGATIVE_INFINITY;
                }
                sum += d.slopeHzPerRatio();
            }
            return sum;
        }

        /** argmin over [rho_min, rho_max] of beta rho + lambda G(rho): the stationary point, or a bound. */
        double ratio(double lambda) {
            double rhoMax = problem.maxRatio();
            if (weight + lambda * slope(rhoMax) <= 0) {
                return rhoMax;
            }
            if (lowest == 0 && weight + lambda * slope(0) >= 0) {
                return 0;
            }
            // the derivative is -infinity at rho_min when rho_min > 0: walk towards it until it is negative
            double left = lowest + (rhoMax - lowest) / 2;
            for (int i = 0; i < 200 && !(weight + lambda * slope(left) < 0); i++) {
                left = lowest + (left - lowest) / 2;
            }
            double l = left;
            if (!(weight + lambda * slope(l) < 0) || Double.isInfinite(slope(l))) {
                return l; // rho_min within rounding: nothing lower is feasible
            }
            BracketingNthOrderBrentSolver solver = new BracketingNthOrderBrentSolver(RATIO_ACCURACY, RATIO_ACCURACY,
                    0, 5);
            return solver.solve(MAX_EVALUATIONS, r -> weight + lambda * slope(r), l, rhoMax, AllowedSolution.ANY_SIDE);
        }
    }
}
