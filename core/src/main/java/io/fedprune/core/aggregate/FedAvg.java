package io.fedprune.core.aggregate;

import java.util.Optional;

/**
 * Synchronous sample-weighted averaging (McMahan et al.): w = sum_k n_k w_k / sum_k n_k over the
 * updates of a round. Accumulates as updates arrive, so memory does not grow with the number of
 * clients in a round; sums in double so the result does not depend on float rounding order.
 */
public final class FedAvg implements AggregationStrategy {
    private double[] sum;
    private double totalWeight;
    private int count;

    @Override
    public String name() {
        return "fedavg";
    }

    @Override
    public Optional<float[]> onUpdate(ClientUpdate update, ModelState global) {
        if (sum == null || sum.length != global.params().length) {
            sum = new double[global.params().length];
        }
        double w = update.numSamples();
        float[] p = update.params();
        for (int j = 0; j < p.length; j++) {
            sum[j] += w * p[j];
        }
        totalWeight += w;
        count++;
        return Optional.empty();
    }

    @Override
    public Optional<float[]> onRoundEnd(ModelState global) {
        if (count == 0 || totalWeight <= 0) {
            reset();
            return Optional.empty();
        }
        float[] out = new float[sum.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (sum[j] / totalWeight);
        }
        reset();
        return Optional.of(out);
    }

    /** Updates gathered in the round so far. */
    public int pending() {
        return count;
    }

    private void reset() {
        if (sum != null) {
            java.util.Arrays.fill(sum, 0);
        }
        totalWeight = 0;
        count = 0;
    }
}
