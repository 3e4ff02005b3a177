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
 * bisection on the allocator's feasibility. A device the allocator cannot schedule (a fixed
 * threshold too tight for it) is not silently given a violating grant: it is sent at rho_max over
 * an equal share of the bandwidth left, reported as late, and its latency is what the clock makes.
 */
final class RoundPlanner {
    /** Relative width at which the threshold bisection stops. */
    private static final double THRESHOLD_TOLERANCE = 1e-9;

    /**
     * One device's grant for the round.
     *
     * @param latencyS the planned compute + upload seconds (above the threshold when late)
     * @param late     the allocator could not make the threshold for it
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
        Grant[] grants = new Grant[n];
        double used = 0;
        for (Allocation.Grant g : a.grants()) {
            double rate = ShannonBandwidth.rateBps(g.bandwidthHz(),
                    ShannonBandwidth.gammaHz(g.powerW(), gains[g.userId()], settings.noiseDbmPerHz()));
            grants[g.userId()] = new Grant(g.ratio(), g.bandwidthHz(), g.powerW(), rate, g.latencyS(), false);
            used += g.bandwidthHz();
        }
        int lateCount = a.infeasible().size();
        if (lateCount > 0) {
            double share = Math.max(settings.totalBandwidthHz() - used, 0) / lateCount;
            share = Math.max(share, settings.totalBandwidthHz() * 1e-3); // over budget, and counted as late
            for (var late : a.infeasible()) {
                int id = late.userId();
                double rho = settings.maxRatio();
                double rate = ShannonBandwidth.rateBps(share,
                        ShannonBandwidth.gammaHz(settings.maxPowerW(), gains[id], settings.noiseDbmPerHz()));
                double latency = denseComputeS[id] * (1 - settings.computeReduction() * rho) + payload.bits(rho) / rate;
                grants[id] = new Grant(rho, share, settings.maxPowerW(), rate, latency, true);
                used += share;
            }
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
