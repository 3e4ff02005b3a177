package io.fedprune.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PruningRatioPlannerTest {

    @Test
    void matchesTheClosedFormWithoutAnEnergyBudget() {
        SplittableRandom rng = new SplittableRandom(21);
        int interior = 0;
        for (int i = 0; i < 300; i++) {
            AllocationProblem p = RandomProblems.draw(rng, 1, 1, false);
            AllocationUser u = p.users().get(0);
            double b = p.totalBandwidthHz() * (0.05 + rng.nextDouble());
            double gamma = ShannonBandwidth.gammaHz(u.maxPowerW(), u.channelGain(), -174);
            double r = ShannonBandwidth.rateBps(b, gamma);
            double a = u.denseComputeS();
            double t = p.tiers().get(0).deadlineS();
            // ALGORITHMS.md §2 step 1: rho* = (A + S(0)/r - T) / (kappa A + q W_p / r)
            double closed = (a + p.payload().bits(0) / r - t)
                    / (p.computeReduction() * a + p.payload().bitsSavedPerRatio() / r);
            OptionalDouble rho = new PruningRatioPlanner(p).ratioFor(u, b);
            if (closed > p.maxRatio()) {
                assertTrue(rho.isEmpty(), "infeasible at rho_max: " + closed);
            } else {
                assertEquals(Math.max(0, closed), rho.orElseThrow(), 1e-10);
                interior += closed > 0 ? 1 : 0;
            }
        }
        assertTrue(interior > 50, "interior cases: " + interior);
    }

    @Test
    void isTheLeastRatioThatMeetsTheDeadlineWithAnEnergyBudget() {
        SplittableRandom rng = new SplittableRandom(22);
        int checked = 0;
        for (int i = 0; i < 300; i++) {
            AllocationProblem p = RandomProblems.draw(rng, 1, 1, true);
            AllocationUser u = p.users().get(0);
            PruningRatioPlanner planner = new PruningRatioPlanner(p);
            double b = p.totalBandwidthHz() * (0.05 + rng.nextDouble());
            OptionalDouble rho = planner.ratioFor(u, b);
            if (rho.isEmpty()) {
                assertTrue(planner.slack(u, b, p.maxRatio()) < 0);
                continue;
            }
            double r = rho.getAsDouble();
            assertTrue(planner.slack(u, b, r) >= 0, "meets the deadline at its ratio");
            if (r > 1e-9) {
                assertTrue(planner.slack(u, b, r - 1e-9) < 0, "a smaller ratio would miss it");
                checked++;
            }
        }
        assertTrue(checked > 30, "interior cases: " + checked);
    }

    @Test
    void ampleBandwidthNeedsNoPruning() {
        AllocationUser u = AllocationUser.withoutEnergyBudget(0, 0, 1e-10, 0.2, 0.1);
        AllocationProblem p = new AllocationProblem(new PayloadModel(100_000, 80_000, 32, false), 1, 0.9, 1e7, -174,
                List.of(new AllocationTier(1, 1)), List.of(u));
        assertEquals(0, new PruningRatioPlanner(p).ratioFor(u, 1e7).orElseThrow());
        assertTrue(new PruningRatioPlanner(p).ratioFor(u, 0).isEmpty(), "no bandwidth, no upload");
    }
}
