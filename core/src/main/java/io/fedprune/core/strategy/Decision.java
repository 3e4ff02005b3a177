package io.fedprune.core.strategy;

import java.util.Map;

/**
 * A strategy's answer to an event: keep the global model, or publish {@code model} as the next
 * version, with the strategy's own metrics (keys from {@link Strategy#metricNames()}).
 *
 * @param model   the next global model, or null to keep the current one
 * @param metrics values of the strategy's metrics at this decision (may be partial or empty)
 */
public record Decision(float[] model, Map<String, Double> metrics) {

    private static final Decision KEEP = new Decision(null, Map.of());

    public Decision {
        metrics = Map.copyOf(metrics);
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

    public boolean publishes() {
        return model != null;
    }
}
