package io.fedprune.core.optimize;

/**
 * What one user needs to make its tier's deadline at a given pruning ratio: the least bandwidth,
 * the power it then transmits at, and how that bandwidth falls as the ratio rises.
 *
 * <p>Why the power is what it is: at a fixed bandwidth the upload takes less time and, because
 * p / r(B, p) rises with p, more energy the more power is used; so the least bandwidth that makes
 * the deadline sends at exactly the rate R = S / (T - t_cmp), i.e. for exactly T - t_cmp seconds,
 * with the most power allowed. That power is p = min(p_max, (E - E_cmp) / (T - t_cmp)): the energy
 * left after computing, spread over the upload time. (More power with more bandwidth never needs
 * less bandwidth: log(1 + k x) &lt;= k log(1 + x) for k &gt;= 1.)
 *
 * @param ratio            the tier's pruning ratio this was computed at
 * @param bandwidthHz      the least bandwidth, +Infinity when no bandwidth is enough
 * @param powerW           the power sent at
 * @param rateBps          the rate needed, S / (T - t_cmp)
 * @param slopeHzPerRatio  dB/drho (negative: pruning frees bandwidth); NaN when infeasible
 */
public record BandwidthDemand(double ratio, double bandwidthHz, double powerW, double rateBps, double slopeHzPerRatio) {

    public boolean feasible() {
        return bandwidthHz < Double.POSITIVE_INFINITY;
    }

    /** {@code user}'s demand at pruning ratio {@code ratio} under {@code problem}'s deadline for its tier. */
    public static BandwidthDemand of(AllocationProblem problem, AllocationUser user, double ratio) {
        double deadline = problem.tierOf(user).deadlineS();
        double kappa = problem.computeReduction();
        double shrink = 1 - kappa * ratio;
        double uploadS = deadline - user.denseComputeS() * shrink;
        double bits = problem.payload().bits(ratio);
        double power = transmitPower(user, shrink, uploadS);
        if (!(margin(problem, user, ratio) > 0)) {
            return new BandwidthDemand(ratio, Double.POSITIVE_INFINITY, power, bits / Math.max(uploadS, 0), Double.NaN);
        }
        double rate = bits / uploadS;
        double gamma = ShannonBandwidth.gammaHz(power, user.channelGain(), problem.noiseDbmPerHz());
        double bandwidth;
        try {
            bandwidth = ShannonBandwidth.minBandwidthHz(bits, uploadS, power, user.channelGain(),
                    problem.noiseDbmPerHz());
        } catch (IllegalArgumentException withinRoundingOfTheLimit) {
            // margin() said the rate is below the limit but only by rounding: no finite bandwidth
            return new BandwidthDemand(ratio, Double.POSITIVE_INFINITY, power, rate, Double.NaN);
        }
        // dR/drho = S'/(T - t) - S A kappa / (T - t)^2 with S' = -q W_p
        double dRate = -problem.payload().bitsSavedPerRatio() / uploadS
                - bits * user.denseComputeS() * kappa / (uploadS * uploadS);
        double slope = ShannonBandwidth.bandwidthPerRate(bandwidth, gamma) * dRate;
        if (user.hasEnergyBudget() && power < user.maxPowerW()) {
            // energy-bound power p = (E - E0 (1 - kappa rho)) / (T - A (1 - kappa rho))
            double dPower = (user.denseComputeEnergyJ() * kappa * uploadS
                    - (user.energyBudgetJ() - user.denseComputeEnergyJ() * shrink) * user.denseComputeS() * kappa)
                    / (uploadS * uploadS);
            double dGamma = dPower * gamma / power;
            slope += ShannonBandwidth.bandwidthPerGamma(bandwidth, gamma) * dGamma;
        }
        return new BandwidthDemand(ratio, bandwidth, power, rate, slope);
    }

    /**
     * Bits the user could upload in its deadline with unlimited bandwidth, minus the bits it must
     * upload at {@code ratio}: feasible exactly when positive. It rises with the ratio (less to
     * send, less compute, more time and energy left for sending), so the feasible ratios are an
     * interval [rho_min, rho_max], and it is continuous, so a bracketing solver finds rho_min.
     */
    public static double margin(AllocationProblem problem, AllocationUser user, double ratio) {
        double shrink = 1 - problem.computeReduction() * ratio;
        double uploadS = problem.tierOf(user).deadlineS() - user.denseComputeS() * shrink;
        double energy = transmitEnergy(user, shrink, uploadS);
        double gammaPerWatt = ShannonBandwidth.gammaHz(1, user.channelGain(), problem.noiseDbmPerHz());
        // r(inf) * t = p gamma1 t / ln 2 and p t = the transmit energy available
        return energy * gammaPerWatt / Math.log(2) - problem.payload().bits(ratio);
    }

    /** Joules the upload may use: p_max for the whole upload time, or what the budget leaves after computing. */
    static double transmitEnergy(AllocationUser user, double shrink, double uploadS) {
        if (!(uploadS > 0)) {
            return 0;
        }
        double capped = user.maxPowerW() * uploadS;
        if (!user.hasEnergyBudget()) {
            return capped;
        }
        return Math.max(0, Math.min(capped, user.energyBudgetJ() - user.denseComputeEnergyJ() * shrink));
    }

    /** The most power the user may send at: p_max, or less when the energy budget binds. */
    static double transmitPower(AllocationUser user, double shrink, double uploadS) {
        if (!(uploadS > 0)) {
            return 0;
        }
        if (!user.hasEnergyBudget()) {
            return user.maxPowerW();
        }
        double left = user.energyBudgetJ() - user.denseComputeEnergyJ() * shrink;
        return Math.max(0, Math.min(user.maxPowerW(), left / uploadS));
    }
}
