package io.fedprune.core.optimize;

import io.fedprune.core.system.WirelessChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random allocation problems with ALGORITHMS.md §1's typical values, scaled so that bandwidth is scarce. */
final class RandomProblems {
    private RandomProblems() {
    }

    static AllocationProblem draw(SplittableRandom rng, int tierCount, int users, boolean energyBudgets) {
        double deltaT = 0.5 + rng.nextDouble();
        List<AllocationTier> tiers = new ArrayList<>();
        for (int m = 1; m <= tierCount; m++) {
            tiers.add(new AllocationTier(m * deltaT, 0.2 + rng.nextDouble()));
        }
        List<AllocationUser> list = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            int tier = i < tierCount ? i : rng.nextInt(tierCount); // every tier occupied
            double distance = 50 + 450 * rng.nextDouble();
            double gain = new WirelessChannel(1e6, 0.1, distance, -174, WirelessChannel.rayleighPowerGain(rng))
                    .channelGain();
            double compute = (0.1 + 0.5 * rng.nextDouble()) * (tier + 1) * deltaT;
            double pMax = 0.1 + 0.1 * rng.nextDouble();
            double computeEnergy = energyBudgets ? 0.01 + 0.05 * rng.nextDouble() : 0;
            // a budget that binds for some users: between the compute energy and p_max over the deadline
            double budget = energyBudgets && rng.nextBoolean()
                    ? computeEnergy + (0.2 + 0.8 * rng.nextDouble()) * pMax * (tier + 1) * deltaT
                    : Double.POSITIVE_INFINITY;
            list.add(new AllocationUser(i, tier, gain, pMax, compute, computeEnergy, budget));
        }
        PayloadModel payload = new PayloadModel(200_000, 150_000 + rng.nextInt(50_000), 32, rng.nextBoolean());
        double kappa = rng.nextDouble();
        double rhoMax = 0.5 + 0.45 * rng.nextDouble();
        double total = (0.2 + 2 * rng.nextDouble()) * 1e6 * users / tierCount;
        return new AllocationProblem(payload, kappa, rhoMax, total, -174, tiers, list);
    }
}
