package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;
import java.util.List;
import java.util.Map;

/**
 * Buffered asynchronous aggregation (Nguyen et al., AISTATS 2022; ALGORITHMS.md §8.2). Clients
 * train continuously from whatever version they were sent; each arriving change
 * {@code delta = start - trained} is scaled by s(staleness) and added to a buffer; after
 * {@code bufferSize} updates the server steps {@code x <- x - lr * m} with
 * {@code m = momentum * m + buffer / K} (plain FedBuff: momentum 0, lr 1 gives the average of the
 * buffered changes applied to the current model), then empties the buffer.
 */
public final class FedBuff implements Strategy {
    public static final String BUFFER_STALENESS = "buffer_staleness";

    /**
     * @param bufferSize     K, updates per server step
     * @param serverLr       the server learning rate eta_g &gt; 0
     * @param serverMomentum server momentum in [0, 1) (0 = none)
     * @param staleness      s(tau); the paper's 1/sqrt(1 + tau) is {@code polynomial(0.5)}
     */
    public record Settings(int bufferSize, double serverLr, double serverMomentum, StalenessFunction staleness) {
        public Settings {
            if (bufferSize < 1) {
                throw new IllegalArgumentException("FedBuff buffer size K must be >= 1, got " + bufferSize);
            }
            if (!(serverLr > 0) || Double.isInfinite(serverLr)) {
                throw new IllegalArgumentException("FedBuff server learning rate must be a number > 0, got " + serverLr);
            }
            if (!(serverMomentum >= 0 && serverMomentum < 1)) {
                throw new IllegalArgumentException("FedBuff server momentum must be in [0, 1), got " + serverMomentum);
            }
            java.util.Objects.requireNonNull(staleness, "staleness");
        }
    }

    private final Settings settings;
    private double[] buffer;
    private double[] velocity;
    private int count;
    private long stalenessSum;

    public FedBuff(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "fedbuff";
    }

    @Override
    public Pacing pacing() {
        return Pacing.continuous();
    }

    @Override
    public List<String> metricNames() {
        return List.of(BUFFER_STALENESS);
    }

    @Override
    public boolean needsBaseModels() {
        return true;
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        float[] start = update.base();
        float[] trained = update.params();
        if (buffer == null || buffer.length != trained.length) {
            buffer = new double[trained.length];
        }
        double s = settings.staleness().weight(update.staleness());
        for (int j = 0; j < trained.length; j++) {
            buffer[j] += s * ((double) start[j] - trained[j]);
        }
        count++;
        stalenessSum += update.staleness();
        if (count < settings.bufferSize()) {
            return Decision.keep();
        }
        return step(global.params());
    }

    private Decision step(float[] x) {
        int k = count;
        double lr = settings.serverLr();
        double beta = settings.serverMomentum();
        float[] out = new float[x.length];
        if (beta > 0 && velocity == null) {
            velocity = new double[x.length];
        }
        for (int j = 0; j < x.length; j++) {
            double g = buffer[j] / k;
            if (beta > 0) {
                velocity[j] = beta * velocity[j] + g;
                g = velocity[j];
            }
            out[j] = (float) (x[j] - lr * g);
        }
        Map<String, Double> metrics = Map.of(BUFFER_STALENESS, (double) stalenessSum / k);
        java.util.Arrays.fill(buffer, 0);
        count = 0;
        stalenessSum = 0;
        return Decision.publish(out, metrics);
    }

    /** Updates waiting in the buffer. */
    public int buffered() {
        return count;
    }
}
