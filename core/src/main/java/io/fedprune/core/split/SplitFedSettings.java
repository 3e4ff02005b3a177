package io.fedprune.core.split;

import io.fedprune.core.compress.UniformQuantizer;

/**
 * The settings of a SplitFed run ({@code fedprune.splitfed}, ALGORITHMS.md §4 and §8.5).
 *
 * @param variant            V1 (a server copy per client) or V2 (one shared server part)
 * @param cutLayer           L_c: the client holds layers {@code 0 .. cutLayer-1} ({@link CutPoint})
 * @param stepsPerRound      split iterations (batches) each client runs per round
 * @param fedInterval        I: the client parts are averaged every I rounds
 * @param dropout            p_d, the activation dropout rate at the cut, in [0, 1)
 * @param gradientBits       b of the activation gradients sent down: 32 = float32, else 1..16-bit
 *                           stochastic quantization
 * @param activationBits     the same for the activations sent up
 * @param clientPruneRate    ρ_f: share of the client part's weights pruned by magnitude, in [0, 1)
 * @param pruneEvery         the client's pruning mask is recomputed every this many rounds
 * @param serverCpuHz        the main server's clock rate (its cycles per sample are the devices')
 * @param stepDeadlineMicros how long a client waits for a step's gradients before it fails its
 *                           round (0 = no deadline: one JVM loses no message)
 */
public record SplitFedSettings(SplitVariant variant, int cutLayer, int stepsPerRound, int fedInterval, double dropout,
                               int gradientBits, int activationBits, double clientPruneRate, int pruneEvery,
                               double serverCpuHz, long stepDeadlineMicros) {

    public static final int MAX_STEPS = 1_000_000;

    public SplitFedSettings {
        if (variant == null) {
            throw new IllegalArgumentException("a split variant (v1 or v2) is required");
        }
        if (cutLayer < 1) {
            throw new IllegalArgumentException("cut layer must be >= 1, got " + cutLayer);
        }
        if (stepsPerRound < 1 || stepsPerRound > MAX_STEPS) {
            throw new IllegalArgumentException("steps per round must be in [1, " + MAX_STEPS + "], got " + stepsPerRound);
        }
        if (fedInterval < 1) {
            throw new IllegalArgumentException("fed interval must be >= 1, got " + fedInterval);
        }
        new ActivationDropout(dropout, 0); // validates the rate
        checkBits("gradient", gradientBits);
        checkBits("activation", activationBits);
        if (!(clientPruneRate >= 0 && clientPruneRate < 1)) {
            throw new IllegalArgumentException("client prune rate must be in [0, 1), got " + clientPruneRate);
        }
        if (pruneEvery < 1) {
            throw new IllegalArgumentException("prune-every must be >= 1 round, got " + pruneEvery);
        }
        if (!(serverCpuHz > 0 && Double.isFinite(serverCpuHz))) {
            throw new IllegalArgumentException("server cpu-hz must be positive and finite, got " + serverCpuHz);
        }
        if (stepDeadlineMicros < 0) {
            throw new IllegalArgumentException("step deadline must be >= 0 (0 = none), got " + stepDeadlineMicros);
        }
    }

    private static void checkBits(String what, int bits) {
        if (bits != 32 && (bits < UniformQuantizer.MIN_BITS || bits > UniformQuantizer.MAX_BITS)) {
            throw new IllegalArgumentException(what + " bits must be 32 (float32) or " + UniformQuantizer.MIN_BITS + ".."
                    + UniformQuantizer.MAX_BITS + " (stochastic quantization), got " + bits);
        }
    }
}
