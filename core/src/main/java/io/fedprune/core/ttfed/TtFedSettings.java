package io.fedprune.core.ttfed;

import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.system.Checks;

/**
 * TT-Fed's and TT-Prune's settings ({@code fedprune.ttfed}; defaults and documentation in
 * {@code fedprune-algorithms/ttfed.conf}). TT-Fed is TT-Prune with {@code maxPruneRatio = 0}: the
 * same tiers, channel and bandwidth planning, no pruning.
 *
 * @param tickMicros      ΔT, the time between global aggregations
 * @param weighting       how tier models are weighted in the global model
 * @param window          observed round times averaged per client when tiers are re-formed
 * @param maxPruneRatio   ρ_max of the hidden FC weights (0 = TT-Fed, no pruning)
 * @param bandwidthHz     B_tot, the uplink band the server splits among the users; a device's
 *                        channel is what its uplink rate in the run's device model implies over an
 *                        equal share B_tot / U (so other methods on the same devices, which use that
 *                        rate, see the same channels)
 * @param fading          Rayleigh fading redrawn per device and tick (else path loss alone)
 * @param indexOverhead   whether the planner counts the sparse format's bitmap in the upload's bits
 * @param deadlineGuard   the fraction of a tier's deadline m ΔT kept free in the plan, so an upload
 *                        planned to the limit arrives before the tick rather than with it
 */
public record TtFedSettings(long tickMicros, TierAggregation.Weighting weighting, int window, double maxPruneRatio,
                            double bandwidthHz, boolean fading, boolean indexOverhead, double deadlineGuard) {

    public TtFedSettings {
        new Pacing.Tiered(tickMicros); // validates
        if (weighting == null) {
            throw new IllegalArgumentException("tier weighting must be given");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (!(maxPruneRatio >= 0 && maxPruneRatio < 1)) {
            throw new IllegalArgumentException("max-prune-ratio must be in [0, 1), got " + maxPruneRatio);
        }
        Checks.positiveFinite("bandwidth-hz", bandwidthHz);
        if (!(deadlineGuard >= 0 && deadlineGuard < 0.5)) {
            throw new IllegalArgumentException("deadline-guard must be in [0, 0.5), got " + deadlineGuard);
        }
    }

    public double tickSeconds() {
        return tickMicros / 1e6;
    }
}
