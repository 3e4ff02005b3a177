package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.UniformSelector;

/**
 * Synchronous sample-weighted averaging (McMahan et al.): each round a fraction of clients is
 * sampled, and w = sum_k n_k w_k / sum_k n_k over the updates that arrived. Accumulates as updates
 * arrive, so memory does not grow with the number of clients in a round; sums in double so the
 * result does not depend on float rounding order.
 */
public final class FedAvg implements Strategy {

    /**
     * @param fraction            share of registered clients sampled per round, in (0, 1]
     * @param roundDeadlineMicros a round closes this long after it starts (0 = when all answered)
     */
    public record Settings(double fraction, long roundDeadlineMicros) {
        public Settings {
            new UniformSelector(fraction); // validates the fraction
            if (roundDeadlineMicros < 0 || roundDeadlineMicros > Pacing.MAX_MICROS) {
                throw new IllegalArgumentException("round deadline must be in [0, " + Pacing.MAX_MICROS / 1_000_000
                        + "] s, got " + roundDeadlineMicros / 1e6 + " s");
            }
        }
    }

    private final Pacing pacing;
    private double[] sum;
    private double totalWeight;
    private int count;

    public FedAvg(Settings settings) {
        this.pacing = Pacing.rounds(new UniformSelector(settings.fraction()), settings.roundDeadlineMicros());
    }

    /** All clients every round, no deadline. */
    public FedAvg() {
        this(new Settings(1.0, 0));
    }

    @Override
    public String name() {
        return "fedavg";
    }

    @Override
    public Pacing pacing() {
        return pacing;
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        if (sum == null || sum.length != global.params().length) {
            sum = new double[global.params().length];
        }
        double w = update.samples();
        float[] p = update.params();
        for (int j = 0; j < p.length; j++) {
            sum[j] += w * p[j];
        }
        totalWeight += w;
        count++;
        return Decision.keep();
    }

    @Override
    public Decision onRoundEnd(RoundOutcome round, ModelState global) {
        if (count == 0 || totalWeight <= 0) {
            reset();
            return Decision.keep();
        }
        float[] out = new float[sum.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (sum[j] / totalWeight);
        }
        reset();
        return Decision.publish(out);
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
