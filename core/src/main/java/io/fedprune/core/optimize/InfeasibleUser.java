package io.fedprune.core.optimize;

/**
 * A user the allocator could not schedule in its tier, and why. It gets no grant: the caller
 * moves it to a slower tier (a later deadline) or leaves it out of the round, and re-solves.
 *
 * @param userId the user's id
 * @param tier   the tier it could not make
 * @param reason what failed
 * @param detail one line with the numbers, for logs
 */
public record InfeasibleUser(int userId, int tier, Reason reason, String detail) {

    public enum Reason {
        /** Computing alone, even at rho_max, takes the whole deadline. */
        COMPUTE_EXCEEDS_DEADLINE,
        /** Computing at rho_max uses up the energy budget before anything is sent. */
        ENERGY_BUDGET_EXCEEDED,
        /** Even unlimited bandwidth at full power (within the budget) cannot carry the upload in time. */
        CHANNEL_TOO_WEAK,
        /** At rho_max the user alone needs more than the total bandwidth. */
        NEEDS_MORE_THAN_TOTAL_BANDWIDTH,
        /**
         * The feasible users together need more than the total bandwidth even at rho_max; this one
         * was left out (largest need first) so that the others fit.
         */
        BANDWIDTH_EXHAUSTED
    }
}
