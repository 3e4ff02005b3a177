package io.fedprune.core.ttfed;

import io.fedprune.core.optimize.AllocationProblem;
import io.fedprune.core.optimize.AllocationTier;
import io.fedprune.core.optimize.AllocationUser;
import io.fedprune.core.optimize.PayloadModel;
import io.fedprune.core.optimize.ShannonBandwidth;
import io.fedprune.core.optimize.TierDemotion;
import io.fedprune.core.system.LinkRedraw;
import io.fedprune.core.system.ShannonRate;
import io.fedprune.core.system.WirelessChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The server's view of the users' uplinks (ALGORITHMS.md §1) and its per-tick plan (§2). A user's
 * mean channel is what its device's uplink rate r implies over an equal share b = B_tot / U of the
 * band: r = b log2(1 + γ/b), so γ = p h / N0 = b (2^(r/b) − 1) (with the wireless device model, r
 * is the Shannon rate of a path-loss channel at that share, so γ is exactly that channel's). Its
 * Rayleigh fading is redrawn at every tick from (seed, user, tick), so a rate never depends on who
 * asked first. The users starting a round get a pruning ratio per tier and a bandwidth each from
 * the KKT allocator; users it cannot fit move to a slower tier ({@link TierDemotion}). Only γ enters
 * the rates, so the plan uses a nominal 1 W and −174 dBm/Hz with the gain that gives that γ.
 */
final class TierRadio {
    private static final double POWER_W = 1;
    private static final double NOISE_DBM_PER_HZ = -174;

    private final TtFedSettings s;
    private final PayloadModel payload;
    private final double[] meanGain;
    private final long seed;

    TierRadio(TtFedSettings s, PayloadModel payload, double[] uplinkBps, long seed) {
        this.s = s;
        this.payload = payload;
        this.seed = seed;
        this.meanGain = new double[uplinkBps.length];
        double share = s.bandwidthHz() / uplinkBps.length;
        double n0 = ShannonRate.noisePsdWattsPerHz(NOISE_DBM_PER_HZ);
        for (int u = 0; u < uplinkBps.length; u++) {
            // 2^(r/b) overflows for a rate far above what the share can carry: cap the SNR per Hz
            double gamma = share * Math.expm1(Math.min(uplinkBps[u] / share, 1000) * Math.log(2));
            meanGain[u] = gamma * n0 / POWER_W;
        }
    }

    /** User {@code u}'s channel power gain at tick {@code tick}: its mean gain times this tick's fading. */
    double gain(int u, long tick) {
        if (!s.fading()) {
            return meanGain[u];
        }
        return meanGain[u] * WirelessChannel.rayleighPowerGain(new SplittableRandom(LinkRedraw.mix(LinkRedraw.mix(seed, u), tick)));
    }

    /** The Shannon rate of {@code bandwidthHz} at {@code powerW} over user {@code u}'s channel at {@code tick}. */
    double rateBps(int u, long tick, double bandwidthHz, double powerW) {
        return rateBps(gain(u, tick), bandwidthHz, powerW);
    }

    private static double rateBps(double gain, double bandwidthHz, double powerW) {
        return ShannonBandwidth.rateBps(bandwidthHz, ShannonBandwidth.gammaHz(powerW, gain, NOISE_DBM_PER_HZ));
    }

    /**
     * Plans the round of the users starting at {@code tick}.
     *
     * @param starters    user ids
     * @param tierOf      each starter's tier (1-based), parallel to {@code starters}
     * @param baseSeconds each starter's download + compute seconds, parallel to {@code starters}
     * @param tiers       tiers the plan may use (1..tiers; demotion stops at the last)
     * @param weights     β_m per tier (index 0 = tier 1), &gt; 0
     * @param freeHz      the band not held by rounds still in progress
     */
    TierDemotion.Result plan(long tick, int[] starters, int[] tierOf, double[] baseSeconds, int tiers,
                             double[] weights, double freeHz) {
        List<AllocationTier> ts = new ArrayList<>(tiers);
        for (int m = 1; m <= tiers; m++) {
            ts.add(new AllocationTier(m * s.tickSeconds() * (1 - s.deadlineGuard()), weights[m - 1]));
        }
        List<AllocationUser> users = new ArrayList<>(starters.length);
        for (int i = 0; i < starters.length; i++) {
            int u = starters[i];
            users.add(AllocationUser.withoutEnergyBudget(u, Math.min(tierOf[i], tiers) - 1, gain(u, tick), POWER_W,
                    baseSeconds[i]));
        }
        // kappa = 0: the importance is the local round's change, so pruning happens after training and
        // saves no compute in the round it applies to (download + compute are the users' "A")
        AllocationProblem p = new AllocationProblem(payload, 0, s.maxPruneRatio(), Math.max(0, freeHz),
                NOISE_DBM_PER_HZ, ts, users);
        return TierDemotion.solve(p);
    }

    PayloadModel payload() {
        return payload;
    }
}
