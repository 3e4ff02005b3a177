package io.fedprune.core.personal;

import io.fedprune.core.optimize.Allocation;
import io.fedprune.core.optimize.AllocationProblem;
import io.fedprune.core.optimize.AllocationTier;
import io.fedprune.core.optimize.AllocationUser;
import io.fedprune.core.optimize.KktBandwidthAllocator;
import io.fedprune.core.optimize.PayloadModel;
import io.fedprune.core.optimize.ShannonBandwidth;
import io.fedprune.core.system.WirelessChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Each round's per-device pruning ratio, bandwidth and power (ALGORITHMS.md §3): every device is
 * its own tier of the {@link KktBandwidthAllocator}'s problem (deadline T_th, weight 1, so the
 * objective is sum_n rho_n), over this round's channels: path loss from a seeded distance per
 * device and, if configured, Rayleigh fading redrawn per device and round. With no fixed threshold
 * T_th is the least one at which every device can be scheduled with ratios up to rho_max, found by
 * bisection on the allocator's feasibility. When a fixed threshold is out of reach for some
 * device in a round (a deep fade even rho_max and all spare bandwidth cannot make up for), nothing
 * is silently violated: that round's threshold is raised to the least one every device can make,
 * the allocation is solved again under it, and those devices are reported late.
 */
final class RoundPlanner {
    /** Relative width at which the threshold bisection stops. */
    private static final double THRESHOLD_TOLERANCE = 1e-9;

    /**
     * One device's grant for the round.
     *
     * @param latencyS the planned compute + upload seconds (above the threshold when late)
     * @param late     the configured threshold was out of its reach this round
     */
    record Grant(double ratio, double bandwidthHz, double powerW, double rateBps, double latencyS, boolean late) {
    }

    /** The round's plan: threshold, grants by client id, bandwidth granted. */
    record Plan(double thresholdS, Grant[] grants, double bandwidthUsedHz) {
        int late() {
            int n = 0;
            for (Grant g : grants) {
                n += g.late() ? 1 : 0;
            }
            return n;
        }
    }

    private final PersonalSettings settings;
    private final PayloadModel payload;
    private final double[] denseComputeS;
    private final double[] pathGain;
    private final long seed;

    /**
     * @param denseComputeS per client, its round's compute seconds at rho = 0
     */
    RoundPlanner(PersonalSettings settings, PayloadModel payload, double[] denseComputeS, long seed) {
        this.settings = settings;
        this.payload = payload;
        this.denseComputeS = denseComputeS.clone();
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed ^ 0xD157A9CEL);
        this.pathGain = new double[denseComputeS.length];
        for (int n = 0; n < pathGain.length; n++) {
            double d = settings.minDistanceM() + (settings.maxDistanceM() - settings.minDistanceM()) * rng.nextDouble();
            pathGain[n] = new WirelessChannel(1, settings.maxPowerW(), d, settings.noiseDbmPerHz(), 1).channelGain();
        }
    }

    /** Device {@code n}'s channel gain in round {@code round}: path loss times this round's fading. */
    double gain(int n, long round) {
        if (!settings.rayleigh()) {
            return pathGain[n];
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round * 1_000_003L + n);
        return pathGain[n] * WirelessChannel.rayleighPowerGain(rng);
    }

    Plan plan(long round) {
        int n = denseComputeS.length;
        double[] gains = new double[n];
        for (int i = 0; i < n; i++) {
            gains[i] = gain(i, round);
        }
        double threshold = settings.latencyThresholdS() > 0 ? settings.latencyThresholdS() : leastThreshold(gains);
        Allocation a = KktBandwidthAllocator.solve(problem(gains, threshold));
        boolean[] late = new boolean[n];
        if (!a.infeasible().isEmpty()) {
            // some device cannot make T_th this round (a deep fade): the round's threshold is relaxed
            // to the least one every device can make, and those devices are reported late
            for (var u : a.infeasible()) {
                late[u.userId()] = true;
            }
            threshold = leastThreshold(gains);
            a = KktBandwidthAllocator.solve(problem(gains, threshold));
        }
        Grant[] grants = new Grant[n];
        double used = 0;
        for (Allocation.Grant g : a.grants()) {
            double rate = ShannonBandwidth.rateBps(g.bandwidthHz(),
                    ShannonBandwidth.gammaHz(g.powerW(), gains[g.userId()], settings.noiseDbmPerHz()));
            grants[g.userId()] = new Grant(g.ratio(), g.bandwidthHz(), g.powerW(), rate, g.latencyS(),
                    late[g.userId()]);
            used += g.bandwidthHz();
        }
        if (!a.infeasible().isEmpty()) {
            throw new IllegalStateException("round " + round + ": the allocator left " + a.infeasible().size()
                    + " devices out at the least common threshold " + threshold + " s: " + a.infeasible().get(0));
        }
        return new Plan(threshold, grants, used);
    }

    /** The least threshold at which the allocator schedules every device (bisection on feasibility). */
    double leastThreshold(double[] gains) {
        double lo = 0;
        for (int i = 0; i < gains.length; i++) {
            lo = Math.max(lo, denseComputeS[i] * (1 - settings.computeReduction() * settings.maxRatio()));
        }
        double hi = Math.max(lo * 2, 1e-3);
        for (int k = 0; !feasible(gains, hi); k++) {
            if (k > 200) {
                throw new IllegalStateException("no latency threshold below " + hi + " s schedules every device");
            }
            lo = hi;
            hi *= 2;
        }
        while (hi - lo > THRESHOLD_TOLERANCE * hi) {
            double mid = lo + (hi - lo) / 2;
            if (feasible(gains, mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private boolean feasible(double[] gains, double threshold) {
        return KktBandwidthAllocator.solve(problem(gains, threshold)).infeasible().isEmpty();
    }

    private AllocationProblem problem(double[] gains, double threshold) {
        List<AllocationTier> tiers = new ArrayList<>();
        List<AllocationUser> users = new ArrayList<>();
        for (int i = 0; i < gains.length; i++) {
            tiers.add(new AllocationTier(threshold, 1.0));
            users.add(AllocationUser.withoutEnergyBudget(i, i, gains[i], settings.maxPowerW(), denseComputeS[i]));
        }
        return new AllocationProblem(payload, settings.computeReduction(), settings.maxRatio(),
                settings.totalBandwidthHz(), settings.noiseDbmPerHz(), tiers, users);
    }
}
