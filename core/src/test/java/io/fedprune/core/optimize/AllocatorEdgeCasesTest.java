package io.fedprune.core.optimize;

import static io.fedprune.core.optimize.KktBandwidthAllocatorTest.assertRespectsConstraints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.optimize.InfeasibleUser.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocatorEdgeCasesTest {
    private static final PayloadModel PAYLOAD = new PayloadModel(100_000, 80_000, 32, false);
    private static final List<AllocationTier> TWO_TIERS = List.of(new AllocationTier(1, 1), new AllocationTier(2, 0.5));

    /** A user about 200 m out (h ~ 1e-10 before fading), computing for {@code compute} seconds. */
    private static AllocationUser user(int id, int tier, double compute) {
        return AllocationUser.withoutEnergyBudget(id, tier, 1e-11, 0.1, compute);
    }

    private static AllocationProblem problem(double totalHz, List<AllocationUser> users) {
        return new AllocationProblem(PAYLOAD, 0.5, 0.9, totalHz, -174, TWO_TIERS, users);
    }

    @Test
    void oneUserTakesAllTheBandwidthAtItsLatencyTightRatio() {
        AllocationUser u = user(0, 0, 0.2);
        AllocationProblem p = problem(3e5, List.of(u));
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        double expected = new PruningRatioPlanner(p).ratioFor(u, 3e5).orElseThrow(); // §2 step 1's closed form
        assertTrue(expected > 0.05 && expected < 0.85, "an interior case: " + expected);
        assertEquals(expected, a.tierRatios().get(0), 1e-9);
        assertEquals(3e5, a.grants().get(0).bandwidthHz(), 1e-6 * 3e5, "the bandwidth constraint binds");
        assertEquals(1.0, a.grants().get(0).latencyS(), 1e-9, "so does the deadline");
        assertTrue(a.multiplier() > 0);
    }

    @Test
    void identicalUsersShareEqually() {
        AllocationProblem p = problem(6e5, List.of(user(0, 0, 0.2), user(1, 0, 0.2), user(2, 0, 0.2)));
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        for (Allocation.Grant g : a.grants()) {
            assertEquals(2e5, g.bandwidthHz(), 1e-6 * 2e5);
        }
    }

    @Test
    void ampleBandwidthPrunesNothing() {
        AllocationProblem p = problem(1e8, List.of(user(0, 0, 0.2), user(1, 1, 0.5)));
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        assertEquals(List.of(0.0, 0.0), a.tierRatios());
        assertEquals(0, a.multiplier());
        assertEquals(0, a.penalty());
        assertTrue(a.bandwidthUsedHz() < 1e8, "slack bandwidth left unused");
    }

    @Test
    void justEnoughBandwidthPrunesToTheMaximum() {
        List<AllocationUser> users = List.of(user(0, 0, 0.2), user(1, 1, 0.5));
        AllocationProblem probe = problem(1, users);
        double need = 0;
        for (AllocationUser u : users) {
            need += BandwidthDemand.of(probe, u, 0.9).bandwidthHz();
        }
        AllocationProblem p = problem(need * (1 + 1e-9), users);
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        assertTrue(a.infeasible().isEmpty());
        assertEquals(0.9, a.tierRatios().get(0), 1e-6);
        assertEquals(0.9, a.tierRatios().get(1), 1e-6);
    }

    @Test
    void zeroBandwidthReportsEveryone() {
        AllocationProblem p = problem(0, List.of(user(0, 0, 0.2), user(1, 1, 0.5)));
        Allocation a = KktBandwidthAllocator.solve(p);
        assertTrue(a.grants().isEmpty());
        assertEquals(List.of(Reason.NEEDS_MORE_THAN_TOTAL_BANDWIDTH, Reason.NEEDS_MORE_THAN_TOTAL_BANDWIDTH),
                a.infeasible().stream().map(InfeasibleUser::reason).toList());
        assertEquals(0, a.bandwidthUsedHz());
    }

    @Test
    void eachKindOfInfeasibilityIsReportedAndTheRestScheduled() {
        List<AllocationUser> users = List.of(
                user(0, 0, 0.2),
                user(1, 0, 3.0),                                                       // compute 3 s * (1 - 0.45) > 1 s
                new AllocationUser(2, 0, 1e-11, 0.1, 0.2, 10, 4),                      // compute energy 10 * 0.55 > 4 J
                AllocationUser.withoutEnergyBudget(3, 0, 1e-16, 0.1, 0.2),             // a very weak channel
                user(4, 1, 0.5));
        AllocationProblem p = problem(5e5, users);
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        assertEquals(List.of(0, 4), a.grants().stream().map(Allocation.Grant::userId).toList());
        assertEquals(List.of(Reason.COMPUTE_EXCEEDS_DEADLINE, Reason.ENERGY_BUDGET_EXCEEDED, Reason.CHANNEL_TOO_WEAK),
                a.infeasible().stream().map(InfeasibleUser::reason).toList());
        assertTrue(a.infeasible().get(0).detail().contains("deadline"), a.infeasible().get(0).detail());
    }

    @Test
    void whenTheFeasibleUsersDoNotFitTheLargestNeedIsLeftOutAndCanMoveToASlowerTier() {
        AllocationUser weak = AllocationUser.withoutEnergyBudget(1, 0, 2e-12, 0.1, 0.2);
        List<AllocationUser> users = List.of(user(0, 0, 0.2), weak, user(2, 0, 0.2));
        AllocationProblem probe = problem(1, users);
        double strongNeed = BandwidthDemand.of(probe, users.get(0), 0.9).bandwidthHz();
        double weakNeed = BandwidthDemand.of(probe, weak, 0.9).bandwidthHz();
        assertTrue(weakNeed > strongNeed);
        AllocationProblem p = problem(2 * strongNeed + 0.5 * weakNeed, users);
        Allocation a = KktBandwidthAllocator.solve(p);
        assertRespectsConstraints(p, a);
        assertEquals(1, a.infeasible().size());
        assertEquals(1, a.infeasible().get(0).userId());
        assertEquals(Reason.BANDWIDTH_EXHAUSTED, a.infeasible().get(0).reason());
        // the caller's move: the left-out user goes to the slower tier, and then everyone fits
        List<AllocationUser> moved = new ArrayList<>(users);
        moved.set(1, weak.inTier(1));
        Allocation again = KktBandwidthAllocator.solve(p.withUsers(moved));
        assertRespectsConstraints(p.withUsers(moved), again);
        assertTrue(again.infeasible().isEmpty(), again.infeasible().toString());
    }

    @Test
    void badInputNamesTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> problem(-1, List.of()));
        assertTrue(e.getMessage().contains("totalBandwidthHz") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AllocationTier(0, 1));
        assertTrue(e.getMessage().contains("deadlineS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> AllocationUser.withoutEnergyBudget(7, 0, Double.NaN, 0.1, 0.2));
        assertTrue(e.getMessage().contains("channelGain of user 7") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AllocationUser(7, 0, 1e-10, 0.1, 0.2, 0, 0));
        assertTrue(e.getMessage().contains("energyBudgetJ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> problem(1e6, List.of(user(0, 2, 0.1))));
        assertTrue(e.getMessage().contains("tier 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> problem(1e6, List.of(user(3, 0, 0.1), user(3, 1, 0.1))));
        assertTrue(e.getMessage().contains("user id 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AllocationProblem(PAYLOAD, 0.5, 1.0, 1e6, -174, TWO_TIERS, List.of()));
        assertTrue(e.getMessage().contains("maxRatio"), e.getMessage());
    }
}
