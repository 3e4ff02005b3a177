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
 * result does not depend on float rounding order. With a {@link RobustRule} other than the mean
 * (median, trimmed mean, norm clipping) the round's updates are kept until it closes.
 */
public final class FedAvg implements Strategy {

    /**
     * @param fraction            share of registered clients sampled per round, in (0, 1]
     * @param roundDeadlineMicros a round closes this long after it starts (0 = when all answered)
     * @param rule                how the round's updates become the model (the mean: plain FedAvg)
     */
    public record Settings(double fraction, long roundDeadlineMicros, RobustRule rule) {
        public Settings {
            if (rule == null) {
                throw new IllegalArgumentException("an aggregation rule is required (mean for plain FedAvg)");
            }
            new UniformSelector(fraction); // validates the fraction
            if (roundDeadlineMicros < 0 || roundDeadlineMicros > Pacing.MAX_MICROS) {
                throw new IllegalArgumentException("round deadline must be in [0, " + Pacing.MAX_MICROS / 1_000_000
                        + "] s, got " + roundDeadlineMicros / 1e6 + " s");
            }
        }

        /** The sample-weighted mean. */
        public Settings(double fraction, long roundDeadlineMicros) {
            this(fraction, roundDeadlineMicros, new RobustRule.Mean());
        }
    }

    private final Pacing pacing;
    private final RobustRule rule;
    private final java.util.List<float[]> kept = new java.util.ArrayList<>();
    private final java.util.List<Double> keptSamples = new java.util.ArrayList<>();
    private double[] sum;
    private double totalWeight;
    private int count;

    public FedAvg(Settings settings) {
        this.pacing = Pacing.rounds(new UniformSelector(settings.fraction()), settings.roundDeadlineMicros());
        this.rule = settings.rule();
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

    /** The mean holds an accumulator; the other rules every update of a round (all clients at most). */
    @Override
    public long modelsHeld(int clients) {
        return rule.streaming() ? 2 : clients + 1L;
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        if (!rule.streaming()) {
            kept.add(update.params().clone());
            keptSamples.add((double) update.samples());
            count++;
            return Decision.keep();
        }
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
        if (!rule.streaming()) {
            if (kept.isEmpty()) {
                return Decision.keep();
            }
            double[] samples = keptSamples.stream().mapToDouble(Double::doubleValue).toArray();
            float[] next = rule.aggregate(global.params(), kept, samples);
            kept.clear();
            keptSamples.clear();
            count = 0;
            return Decision.publish(next);
        }
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
