package io.fedprune.core.train;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.prune.Mask;

/**
 * One local round: start from {@code params}, train on the samples {@code indices} of the shared
 * {@code data} (never copied), and return new parameters.
 *
 * @param epochs    passes over the shard, 0 for no bound (then {@code maxSteps} alone decides); ignored
 *                  when {@code maxSteps > 0} is reached first
 * @param maxSteps  upper bound on mini-batch steps, 0 for no bound
 * @param seed      orders the samples; the same task gives the same result
 * @param mask      entries to train, or null to train all; the others are held at exactly 0 (a pruned
 *                  sub-model, ALGORITHMS.md §3 step 5 and §6)
 */
public record TrainTask(float[] params, Dataset data, int[] indices, int epochs, int maxSteps, int batchSize, long seed,
        Mask mask) {

    public TrainTask {
        if (mask != null && mask.size() != params.length) {
            throw new IllegalArgumentException("mask of " + mask.size() + " entries for " + params.length + " parameters");
        }
        if (indices.length == 0) {
            throw new IllegalArgumentException("a training task needs at least one sample");
        }
        if (epochs < 1 && maxSteps < 1) {
            throw new IllegalArgumentException("epochs or maxSteps must be >= 1, got epochs=" + epochs + " maxSteps=" + maxSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
    }

    /** A task that trains every parameter (no mask). */
    public TrainTask(float[] params, Dataset data, int[] indices, int epochs, int maxSteps, int batchSize, long seed) {
        this(params, data, indices, epochs, maxSteps, batchSize, seed, null);
    }

    /** Batches in one pass over the shard (the last one may be short). */
    public int batchesPerEpoch() {
        return batchesPerEpoch(indices.length, batchSize);
    }

    private static int batchesPerEpoch(int shardSize, int batchSize) {
        return (shardSize + batchSize - 1) / batchSize;
    }

    /**
     * Mini-batch steps this task will run; known before training so virtual compute time can be planned.
     * With {@code epochs < 1} only {@code maxSteps} bounds the run (e.g. FedBuff's Q local steps), which
     * may take several passes over a small shard.
     */
    public int plannedSteps() {
        return plannedSteps(indices.length, epochs, maxSteps, batchSize);
    }

    /** Samples this task will process (what the device's compute time is charged for). */
    public long plannedSamples() {
        return plannedSamples(indices.length, epochs, maxSteps, batchSize);
    }

    /** {@link #plannedSteps()} of a task on a shard of {@code shardSize}, before its parameters exist. */
    public static int plannedSteps(int shardSize, int epochs, int maxSteps, int batchSize) {
        if (epochs < 1) {
            return maxSteps;
        }
        long steps = (long) epochs * batchesPerEpoch(shardSize, batchSize);
        if (maxSteps > 0) {
            steps = Math.min(steps, maxSteps);
        }
        return Math.toIntExact(steps);
    }

    /** {@link #plannedSamples()} of a task on a shard of {@code shardSize}, before its parameters exist. */
    public static long plannedSamples(int shardSize, int epochs, int maxSteps, int batchSize) {
        int steps = plannedSteps(shardSize, epochs, maxSteps, batchSize);
        int perEpoch = batchesPerEpoch(shardSize, batchSize);
        long full = (long) (steps / perEpoch) * shardSize;
        int rest = steps % perEpoch;
        return full + Math.min((long) rest * batchSize, shardSize);
    }
}
