package io.fedprune.core.strategy;

/**
 * Scores a model on the run's validation data: a part of the <em>training</em> data held out
 * before it is split among clients, never the test set, so that a strategy may steer itself by
 * accuracy (PR-FL's early-stopping trigger) without peeking at what the run is judged on.
 *
 * <p>Called from a strategy, hence off the actor threads; it may take a while (a pass over the
 * held-out samples) and must be deterministic for a given model.
 */
public interface Validation {

    /** Accuracy of {@code params} on the held-out samples, in [0, 1]. */
    double accuracy(float[] params);

    /** How many samples are held out (at least 1). */
    int samples();
}
