package io.fedprune.core.aggregate;

import java.util.Optional;

/**
 * Asynchronous mixing (Xie, Koyejo, Gupta 2019): every arriving update x_new, trained from
 * version tau, immediately gives x_t = (1 - a) x_{t-1} + a x_new with a = alpha * s(t - tau).
 */
public final class FedAsync implements AggregationStrategy {
    private final double alpha;
    private final StalenessFunction staleness;

    public FedAsync(double alpha, StalenessFunction staleness) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("FedAsync mixing weight alpha must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.staleness = staleness;
    }

    @Override
    public String name() {
        return "fedasync";
    }

    /** The mixing weight an update of the given staleness receives. */
    public double mixingWeight(long stalenessVersions) {
        return alpha * staleness.weight(stalenessVersions);
    }

    @Override
    public Optional<float[]> onUpdate(ClientUpdate update, ModelState global) {
        double a = mixingWeight(global.version() - update.baseVersion());
        float[] g = global.params();
        float[] u = update.params();
        float[] out = new float[g.length];
        float keep = (float) (1 - a);
        float take = (float) a;
        for (int j = 0; j < g.length; j++) {
            out[j] = keep * g[j] + take * u[j];
        }
        return Optional.of(out);
    }

    /** Asynchronous: nothing is held back for the end of a round. */
    @Override
    public Optional<float[]> onRoundEnd(ModelState global) {
        return Optional.empty();
    }
}
