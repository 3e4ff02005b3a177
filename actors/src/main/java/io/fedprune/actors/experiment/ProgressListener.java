package io.fedprune.actors.experiment;

import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;

/** Observes a run (progress bars, live logs). Called from the driver's thread: return quickly. */
public interface ProgressListener {

    default void onRound(RoundRecord record) {
    }

    default void onFinish(RunSummary summary) {
    }

    ProgressListener NONE = new ProgressListener() {
    };
}
