package io.fedprune.core.strategy;

/**
 * One device's LocalAlt round (ALGORITHMS.md §3): {@code tauV} steps on its personal part with the
 * global part frozen, {@code tauU} steps on the global part with the personal part frozen, pruning of
 * the global part to {@code pruneRatio} by update importance, then {@code tauHatU} more steps on the
 * surviving global entries. The steps run as one stream over the device's shard (one shuffled order
 * continued across the phases), so the round processes exactly the samples of {@code totalSteps()}
 * plain steps. {@code uplinkBps} is the rate the server's allocation gives the device's upload this
 * round (bandwidth and power granted, over this round's channel).
 *
 * @param tauV       steps on the personal part (global frozen)
 * @param tauU       steps on the global part (personal frozen), before pruning
 * @param tauHatU    steps on the pruned global part (pruned entries held at 0)
 * @param pruneRatio rho_n in [0, 1): the fraction of the global part's entries removed
 * @param uplinkBps  the granted uplink rate in bit/s (positive, finite)
 */
public record LocalAltRound(int tauV, int tauU, int tauHatU, double pruneRatio, double uplinkBps) {

    public LocalAltRound {
        if (tauV < 0 || tauU < 0 || tauHatU < 0) {
            throw new IllegalArgumentException("LocalAlt step counts must be >= 0, got tau-v " + tauV + ", tau-u "
                    + tauU + ", tau-hat-u " + tauHatU);
        }
        if ((long) tauV + tauU + tauHatU < 1 || (long) tauV + tauU + tauHatU > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a LocalAlt round needs between 1 and " + Integer.MAX_VALUE
                    + " steps, got " + ((long) tauV + tauU + tauHatU));
        }
        if (!(pruneRatio >= 0 && pruneRatio < 1)) {
            throw new IllegalArgumentException("LocalAlt prune ratio must be in [0, 1), got " + pruneRatio);
        }
        if (!(uplinkBps > 0) || Double.isInfinite(uplinkBps)) {
            throw new IllegalArgumentException("LocalAlt uplink rate must be positive and finite, got " + uplinkBps);
        }
    }

    public int totalSteps() {
        return tauV + tauU + tauHatU;
    }
}
