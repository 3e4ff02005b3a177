package io.fedprune.core.strategy;

import java.util.Map;

/**
 * A strategy's answer to an event: keep the global model, or publish {@code model} as the next
 * version, with the strategy's own metrics (keys from {@link Strategy#metricNames()}).
 *
 * @param model   the next global model, or null to keep the current one
 * @param metrics values of the strategy's metrics at this decision (may be partial or empty)
 * @param last    the strategy's training is over: {@code model} is the final one (e.g. the best so
 *                far, restored), no client is given work any more and later events are ignored
 */
public record Decision(float[] model, Map<String, Double> metrics, boolean last) {

    private static final Decision KEEP = new Decision(null, Map.of(), false);

    public Decision {
        metrics = Map.copyOf(metrics);
        if (last && model == null) {
            throw new IllegalArgumentException("the last decision must publish the final model");
        }
    }

    public Decision(float[] model, Map<String, Double> metrics) {
        this(model, metrics, false);
    }

    public static Decision keep() {
        return KEEP;
    }

    public static Decision publish(float[] model) {
        return new Decision(java.util.Objects.requireNonNull(model, "model"), Map.of());
    }

    public static Decision publish(float[] model, Map<String, Double> metrics) {
        return new Decision(java.util.Objects.requireNonNull(model, "model"), metrics);
    }

    /** Publishes {@code model} as the final version: training is over. */
    public static Decision finish(float[] model, Map<String, Double> metrics) {
        return new Decision(java.util.Objects.requireNonNull(model, "model"), metrics, true);
    }

    public boolean publishes() {
        return model != null;
    }
}
