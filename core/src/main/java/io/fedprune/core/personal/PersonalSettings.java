package io.fedprune.core.personal;

import io.fedprune.core.strategy.Pacing;
import java.util.List;

/**
 * Settings of adaptive pruning with personalization ({@code fedprune.personal}; defaults and
 * meaning in {@code fedprune-algorithms/personal.conf}).
 *
 * @param personalLayers     layers kept on the device (indices among the layers with parameters,
 *                           negative from the end); empty: no personal part (FedAvg's model)
 * @param tauV               LocalAlt steps on the personal part
 * @param tauU               steps on the global part before pruning
 * @param tauHatU            steps on the pruned global part
 * @param personalStepCost   a personal-only step's compute as a fraction of a full step's, in (0, 1]
 * @param maxRatio           rho_max in [0, 1); 0 = no pruning
 * @param latencyThresholdS  T_th in seconds (compute + upload); 0 = each round the least threshold
 *                           every device can make with ratios up to rho_max
 * @param totalBandwidthHz   B_tot shared by the devices' uplinks
 * @param maxPowerW          p_max of every device
 * @param noiseDbmPerHz      N0
 * @param minDistanceM       nearest device (distances uniform in [min, max], seeded)
 * @param maxDistanceM       farthest device
 * @param rayleigh           redraw Rayleigh fading of every channel every round
 * @param indexOverhead      the planner counts the sparse codec's bitmap in the payload
 * @param roundDeadlineMicros a round closes this long after it starts (0 = when all answered)
 */
public record PersonalSettings(List<Integer> personalLayers, int tauV, int tauU, int tauHatU, double personalStepCost,
                               double maxRatio, double latencyThresholdS, double totalBandwidthHz, double maxPowerW,
                               double noiseDbmPerHz, double minDistanceM, double maxDistanceM, boolean rayleigh,
                               boolean indexOverhead, long roundDeadlineMicros) {

    public PersonalSettings {
        personalLayers = List.copyOf(personalLayers);
        if (tauV < 0 || tauU < 0 || tauHatU < 0) {
            throw new IllegalArgumentException("tau-v, tau-u and tau-hat-u must be >= 0");
        }
        if (tauU + tauHatU < 1) {
            throw new IllegalArgumentException("tau-u + tau-hat-u must be >= 1: the global part has to train");
        }
        if (personalLayers.isEmpty() && tauV > 0) {
            throw new IllegalArgumentException("tau-v = " + tauV + " steps on a personal part, but personal-layers "
                    + "is empty; set tau-v = 0 or name the personal layers");
        }
        if (maxRatio > 0 && tauHatU == 0) {
            throw new IllegalArgumentException("max-ratio = " + maxRatio + " prunes, but tau-hat-u = 0 leaves no "
                    + "steps after pruning; set tau-hat-u >= 1 (or max-ratio = 0)");
        }
        if (!(personalStepCost > 0 && personalStepCost <= 1)) {
            throw new IllegalArgumentException("personal-step-cost must be in (0, 1], got " + personalStepCost);
        }
        if (!(maxRatio >= 0 && maxRatio < 1)) {
            throw new IllegalArgumentException("max-ratio must be in [0, 1), got " + maxRatio);
        }
        if (!(latencyThresholdS >= 0) || Double.isInfinite(latencyThresholdS)) {
            throw new IllegalArgumentException("latency-threshold-s must be >= 0 (0 = auto), got " + latencyThresholdS);
        }
        if (!(totalBandwidthHz > 0) || !(maxPowerW > 0) || Double.isInfinite(totalBandwidthHz)
                || Double.isInfinite(maxPowerW)) {
            throw new IllegalArgumentException("total-bandwidth-hz and max-power-w must be positive and finite");
        }
        if (!(minDistanceM > 0 && minDistanceM <= maxDistanceM) || Double.isInfinite(maxDistanceM)) {
            throw new IllegalArgumentException("distances must satisfy 0 < min-distance-m <= max-distance-m, got "
                    + minDistanceM + " and " + maxDistanceM);
        }
        if (roundDeadlineMicros < 0 || roundDeadlineMicros > Pacing.MAX_MICROS) {
            throw new IllegalArgumentException("round deadline must be in [0, " + Pacing.MAX_MICROS / 1_000_000
                    + "] s, got " + roundDeadlineMicros / 1e6 + " s");
        }
    }

    public int totalSteps() {
        return tauV + tauU + tauHatU;
    }

    /**
     * A round's compute as a fraction of {@link #totalSteps()} full steps at pruning ratio rho:
     * (tau_v c_v + (tau_u + tau-hat_u) c_u (1 - rho)) / (tau_total c_u), ALGORITHMS.md §3's latency.
     */
    public double computeScale(double rho) {
        return (tauV * personalStepCost + (tauU + tauHatU) * (1 - rho)) / totalSteps();
    }

    /** kappa: the share of the unpruned round's compute that pruning removes per unit of rho. */
    public double computeReduction() {
        return (tauU + tauHatU) / (tauV * personalStepCost + tauU + tauHatU);
    }
}
