package io.fedprune.core.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The caller's side of an infeasibility (issue 10: "an infeasible user is reported and moved to a
 * slower tier"): solve, move every reported user one tier slower, solve again, until everyone is
 * scheduled or the users still reported are in the slowest tier (they stay reported: the round
 * goes on without them). Tiers are taken to be listed fastest first, tier m + 1 the next slower
 * (TT-Prune's T_m = m ΔT). One tier at a time, because a user moved too far would wait for a
 * later aggregation than it needs to.
 */
public final class TierDemotion {
    private TierDemotion() {
    }

    /**
     * @param problem    the problem as last solved, with the users in their final tiers
     * @param allocation its solution; {@link Allocation#infeasible()} lists who could not be placed at all
     * @param moves      every move made, in order
     */
    public record Result(AllocationProblem problem, Allocation allocation, List<Move> moves) {
        public Result {
            moves = List.copyOf(moves);
        }
    }

    /** User {@code userId} went from {@code fromTier} to {@code toTier} because of {@code reason}. */
    public record Move(int userId, int fromTier, int toTier, InfeasibleUser.Reason reason) {
    }

    public static Result solve(AllocationProblem problem) {
        int slowest = problem.tiers().size() - 1;
        List<Move> moves = new ArrayList<>();
        AllocationProblem current = problem;
        Allocation a = KktBandwidthAllocator.solve(current);
        for (int pass = 0; pass < problem.tiers().size(); pass++) {
            Map<Integer, InfeasibleUser> movable = new HashMap<>();
            for (InfeasibleUser x : a.infeasible()) {
                if (x.tier() < slowest) {
                    movable.put(x.userId(), x);
                }
            }
            if (movable.isEmpty()) {
                break;
            }
            List<AllocationUser> users = new ArrayList<>();
            for (AllocationUser u : current.users()) {
                InfeasibleUser x = movable.get(u.id());
                if (x == null) {
                    users.add(u);
                } else {
                    users.add(u.inTier(u.tier() + 1));
                    moves.add(new Move(u.id(), u.tier(), u.tier() + 1, x.reason()));
                }
            }
            current = current.withUsers(users);
            a = KktBandwidthAllocator.solve(current);
        }
        return new Result(current, a, moves);
    }
}
