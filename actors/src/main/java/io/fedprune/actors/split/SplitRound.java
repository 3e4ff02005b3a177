package io.fedprune.actors.split;

import io.fedprune.core.data.Shuffle;
import java.util.SplittableRandom;

/** One {@link SplitClient} round in progress: its request, its sample order, and what came of it so far. */
final class SplitRound {
    final SplitClient.Train request;
    private final int[] order;
    private int answered;
    private double lossSum;
    long bytesUp;
    long bytesDown;

    SplitRound(SplitClient.Train request, int[] indices, long seed) {
        this.request = request;
        this.order = indices.clone();
        Shuffle.inPlace(order, new SplittableRandom(seed));
    }

    /** Samples of step {@code step}: consecutive batches of the shuffled shard, wrapping around. */
    int[] batch(int step, int batchSize) {
        int n = Math.min(batchSize, order.length);
        int[] b = new int[n];
        long from = (long) step * n;
        for (int i = 0; i < n; i++) {
            b[i] = order[(int) ((from + i) % order.length)];
        }
        return b;
    }

    /** The step whose gradients the round waits for: the one after the last answered. */
    long awaiting() {
        return answered;
    }

    void answered(double loss) {
        answered++;
        lossSum += loss;
    }

    double meanLoss() {
        return answered == 0 ? Double.NaN : lossSum / answered;
    }

    long samples(int batchSize) {
        return (long) answered * Math.min(batchSize, order.length);
    }
}
