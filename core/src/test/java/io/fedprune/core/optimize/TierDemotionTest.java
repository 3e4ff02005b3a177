package io.fedprune.core.optimize;

import static io.fedprune.core.optimize.KktBandwidthAllocatorTest.assertRespectsConstraints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TierDemotionTest {
    private static final PayloadModel PAYLOAD = new PayloadModel(100_000, 80_000, 32, false);
    private static final List<AllocationTier> TIERS = List.of(new AllocationTier(1, 1), new AllocationTier(2, 0.5),
            new AllocationTier(3, 1 / 3.0));

    @Test
    void aUserTooSlowForItsTierMovesUntilItFitsAndOneThatNeverFitsStaysReported() {
        List<AllocationUser> users = List.of(
                AllocationUser.withoutEnergyBudget(0, 0, 1e-11, 0.1, 0.2),
                AllocationUser.withoutEnergyBudget(1, 0, 1e-11, 0.1, 3.0), // 3 s * (1 - 0.45) = 1.65 s: tier 1 (2 s)
                AllocationUser.withoutEnergyBudget(2, 0, 1e-11, 0.1, 9.0)); // 4.95 s: no tier
        AllocationProblem p = new AllocationProblem(PAYLOAD, 0.5, 0.9, 1e6, -174, TIERS, users);
        TierDemotion.Result r = TierDemotion.solve(p);
        assertRespectsConstraints(r.problem(), r.allocation());
        assertEquals(List.of(
                new TierDemotion.Move(1, 0, 1, InfeasibleUser.Reason.COMPUTE_EXCEEDS_DEADLINE),
                new TierDemotion.Move(2, 0, 1, InfeasibleUser.Reason.COMPUTE_EXCEEDS_DEADLINE),
                new TierDemotion.Move(2, 1, 2, InfeasibleUser.Reason.COMPUTE_EXCEEDS_DEADLINE)), r.moves());
        assertEquals(List.of(0, 1), r.allocation().grants().stream().map(Allocation.Grant::userId).toList());
        assertEquals(1, r.allocation().grants().get(1).tier());
        assertEquals(1, r.allocation().infeasible().size());
        assertEquals(2, r.allocation().infeasible().get(0).userId());
        assertEquals(2, r.allocation().infeasible().get(0).tier());
    }

    @Test
    void aFeasibleProblemIsLeftAsItIs() {
        AllocationProblem p = new AllocationProblem(PAYLOAD, 0.5, 0.9, 1e6, -174, TIERS,
                List.of(AllocationUser.withoutEnergyBudget(0, 0, 1e-11, 0.1, 0.2)));
        TierDemotion.Result r = TierDemotion.solve(p);
        assertTrue(r.moves().isEmpty());
        assertEquals(p, r.problem());
        assertEquals(KktBandwidthAllocator.solve(p), r.allocation());
    }
}
