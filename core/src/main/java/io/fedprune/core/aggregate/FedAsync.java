package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;

/**
 * Asynchronous mixing (Xie, Koyejo, Gupta 2019): every arriving update x_new, trained from
 * version tau, immediately gives x_t = (1 - a) x_{t-1} + a x_new with a = alpha * s(t - tau).
 * Every client is kept busy.
 */
public final class FedAsync implements Strategy {

    /** @param alpha mixing weight in (0, 1]; {@code staleness} scales it by the update's age */
    public record Settings(double alpha, StalenessFunction staleness) {
        public Settings {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("FedAsync mixing weight alpha must be in (0, 1], got " + alpha);
            }
            java.util.Objects.requireNonNull(staleness, "staleness");
        }
    }

    private final double alpha;
    private final StalenessFunction staleness;

    public FedAsync(Settings settings) {
        this.alpha = settings.alpha();
        this.staleness = settings.staleness();
    }

    public FedAsync(double alpha, StalenessFunction staleness) {
        this(new Settings(alpha, staleness));
    }

    @Override
    public String name() {
        return "fedasync";
    }

    @Override
    public Pacing pacing() {
        return Pacing.continuous();
    }

    /** The mixing weight an update of the given staleness receives. */
    public double mixingWeight(long stalenessVersions) {
        return alpha * staleness.weight(stalenessVersions);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        double a = mixingWeight(update.staleness());
        float[] g = global.params();
        float[] u = update.params();
        float[] out = new float[g.length];
        float keep = (float) (1 - a);
        float take = (float) a;
        for (int j = 0; j < g.length; j++) {
            out[j] = keep * g[j] + take * u[j];
        }
        return Decision.publish(out);
    }
}
