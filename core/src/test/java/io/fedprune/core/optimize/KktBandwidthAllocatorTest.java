package io.fedprune.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KktBandwidthAllocatorTest {

    /** Every constraint of P on every grant, and the bandwidth sum. */
    static void assertRespectsConstraints(AllocationProblem p, Allocation a) {
        PruningRatioPlanner planner = new PruningRatioPlanner(p);
        double sum = 0;
        for (Allocation.Grant g : a.grants()) {
            AllocationUser u = p.users().stream().filter(x -> x.id() == g.userId()).findFirst().orElseThrow();
            double deadline = p.tierOf(u).deadlineS();
            assertEquals(a.tierRatios().get(u.tier()), g.ratio(), 0, "one ratio per tier");
            assertTrue(g.ratio() >= 0 && g.ratio() <= p.maxRatio(), "ratio in range: " + g);
            assertTrue(g.bandwidthHz() > 0, "positive bandwidth: " + g);
            assertTrue(g.powerW() > 0 && g.powerW() <= u.maxPowerW(), "power within the cap: " + g);
            double latency = planner.latencyS(u, g.ratio(), g.bandwidthHz(), g.powerW());
            assertTrue(latency <= deadline * (1 + 1e-12), "deadline " + deadline + " met: " + latency + " " + g);
            double energy = planner.energyJ(u, g.ratio(), g.bandwidthHz(), g.powerW());
            assertTrue(energy <= u.energyBudgetJ() * (1 + 1e-12), "energy budget " + u.energyBudgetJ() + ": " + g);
            sum += g.bandwidthHz();
        }
        assertTrue(sum <= p.totalBandwidthHz(), "bandwidth " + sum + " <= " + p.totalBandwidthHz());
        assertEquals(p.users().size(), a.grants().size() + a.infeasible().size(), "every user granted or reported");
    }

    private static void compareWithReference(long seed, int tiers, int users, boolean energy, int instances) {
        SplittableRandom rng = new SplittableRandom(seed);
        int interior = 0;
        int compared = 0;
        int energyBound = 0;
        for (int i = 0; i < instances; i++) {
            AllocationProblem p = RandomProblems.draw(rng, tiers, users, energy);
            Allocation a = KktBandwidthAllocator.solve(p);
            assertRespectsConstraints(p, a);
            if (!a.infeasible().isEmpty()) {
                continue; // the reference needs everyone schedulable; screening is tested on its own
            }
            compared++;
            for (Allocation.Grant g : a.grants()) {
                AllocationUser u = p.users().get(g.userId());
                energyBound += g.powerW() < u.maxPowerW() * (1 - 1e-9) ? 1 : 0;
            }
            double reference = new ReferenceAllocation(p).optimum();
            assertEquals(reference, a.penalty(), 1e-6 * Math.abs(reference) + 1e-9,
                    "instance " + i + " of seed " + seed + ": ratios " + a.tierRatios() + " lambda " + a.multiplier());
            if (a.tierRatios().stream().anyMatch(r -> r > 1e-6 && r < p.maxRatio() - 1e-6)) {
                interior++;
            }
        }
        // the comparison means something only if it covered scarce bandwidth, not only clipped ratios
        assertTrue(compared >= instances / 2, "only " + compared + " of " + instances + " instances all feasible");
        assertTrue(interior >= compared / 3, "only " + interior + " of " + compared + " instances had an interior ratio");
        assertTrue(!energy || energyBound >= compared / 2, "only " + energyBound + " grants sent below the power cap");
    }

    @Test
    void matchesTheReferenceOptimiserWithOneTier() {
        compareWithReference(11, 1, 4, false, 30);
    }

    @Test
    void matchesTheReferenceOptimiserWithTwoTiers() {
        compareWithReference(12, 2, 5, false, 30);
    }

    @Test
    void matchesTheReferenceOptimiserWithThreeTiers() {
        compareWithReference(13, 3, 5, false, 10);
    }

    @Test
    void matchesTheReferenceOptimiserWithEnergyBudgets() {
        compareWithReference(14, 2, 4, true, 30);
    }
}
