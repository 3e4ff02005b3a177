package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;
import java.util.List;
import java.util.Map;

/**
 * Time-triggered asynchronous aggregation (the "FedFix" baseline of PR-FL, ALGORITHMS.md §6):
 * clients train continuously; every fixed interval of clock time the server aggregates whatever
 * arrived since the last tick, and publishes nothing if nothing did.
 *
 * <p>The aggregate is sample- and staleness-weighted: with p_i = n_i s(tau_i) / sum_j n_j,
 * {@code x <- sum_i p_i w_i + (1 - sum_i p_i) x}. Fresh updates (s = 1) give plain FedAvg of the
 * window; stale ones hand their share of the weight back to the current model. (Our formulation:
 * the sources name the baseline but not its weights.)
 */
public final class FedFix implements Strategy {
    public static final String WINDOW_UPDATES = "window_updates";

    /** @param intervalMicros clock time between aggregations (&gt; 0) */
    public record Settings(long intervalMicros, StalenessFunction staleness) {
        public Settings {
            if (intervalMicros <= 0 || intervalMicros > Pacing.MAX_MICROS) {
                throw new IllegalArgumentException("FedFix interval must be in (0, " + Pacing.MAX_MICROS / 1_000_000
                        + "] s, got " + intervalMicros / 1e6 + " s");
            }
            java.util.Objects.requireNonNull(staleness, "staleness");
        }
    }

    private final Settings settings;
    private double[] weighted;
    private double samples;
    private double keptWeight;
    private int count;

    public FedFix(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "fedfix";
    }

    @Override
    public Pacing pacing() {
        return Pacing.ticking(settings.intervalMicros());
    }

    @Override
    public List<String> metricNames() {
        return List.of(WINDOW_UPDATES);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        float[] p = update.params();
        if (weighted == null || weighted.length != p.length) {
            weighted = new double[p.length];
        }
        double w = update.samples() * settings.staleness().weight(update.staleness());
        for (int j = 0; j < p.length; j++) {
            weighted[j] += w * p[j];
        }
        samples += update.samples();
        keptWeight += w;
        count++;
        return Decision.keep();
    }

    @Override
    public Decision onTick(long nowMicros, ModelState global) {
        if (count == 0) {
            return Decision.keep();
        }
        float[] x = global.params();
        double rest = 1 - keptWeight / samples;
        float[] out = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (float) (weighted[j] / samples + rest * x[j]);
        }
        Map<String, Double> metrics = Map.of(WINDOW_UPDATES, (double) count);
        java.util.Arrays.fill(weighted, 0);
        samples = 0;
        keptWeight = 0;
        count = 0;
        return Decision.publish(out, metrics);
    }

    /** Updates gathered since the last tick. */
    public int pending() {
        return count;
    }
}
