package io.fedprune.core.optimize;

import io.fedprune.core.system.Checks;

/**
 * One device in the allocation problem, as ALGORITHMS.md §1 models it.
 *
 * @param id                  the caller's id for the device (reported back in grants and infeasibilities)
 * @param tier                index into the problem's tiers
 * @param channelGain         h, linear power gain (path loss times fading) for this round
 * @param maxPowerW           p_max, the device's transmit-power cap
 * @param denseComputeS       A = tau D_b c / f: seconds of local computation on the unpruned model
 * @param denseComputeEnergyJ eps tau D_b c f^2: joules of that computation (0 when energy is not modelled)
 * @param energyBudgetJ       E, the round's energy budget (compute + upload); +Infinity for none
 */
public record AllocationUser(int id, int tier, double channelGain, double maxPowerW, double denseComputeS,
                             double denseComputeEnergyJ, double energyBudgetJ) {

    public AllocationUser {
        if (tier < 0) {
            throw new IllegalArgumentException("tier of user " + id + " must be >= 0, got " + tier);
        }
        Checks.positiveFinite("channelGain of user " + id, channelGain);
        Checks.positiveFinite("maxPowerW of user " + id, maxPowerW);
        Checks.nonNegativeFinite("denseComputeS of user " + id, denseComputeS);
        Checks.nonNegativeFinite("denseComputeEnergyJ of user " + id, denseComputeEnergyJ);
        Checks.positiveOrUnlimited("energyBudgetJ of user " + id, energyBudgetJ);
    }

    /** A user without an energy budget: only the power cap limits its transmitter. */
    public static AllocationUser withoutEnergyBudget(int id, int tier, double channelGain, double maxPowerW,
                                                     double denseComputeS) {
        return new AllocationUser(id, tier, channelGain, maxPowerW, denseComputeS, 0, Double.POSITIVE_INFINITY);
    }

    /** The same device in another tier (the caller's move after an infeasibility). */
    public AllocationUser inTier(int newTier) {
        return new AllocationUser(id, newTier, channelGain, maxPowerW, denseComputeS, denseComputeEnergyJ,
                energyBudgetJ);
    }

    public boolean hasEnergyBudget() {
        return energyBudgetJ != Double.POSITIVE_INFINITY;
    }
}
