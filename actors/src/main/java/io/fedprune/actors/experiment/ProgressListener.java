package io.fedprune.actors.experiment;

import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import java.util.function.Consumer;

/** Observes a run (progress bars, live logs). Called from the driver's thread: return quickly. */
public interface ProgressListener {

    default void onRound(RoundRecord record) {
    }

    default void onFinish(RunSummary summary) {
    }

    /**
     * The last published model as clients are sent it (before {@link #onFinish}): with the default
     * dense downlink, exactly the server's parameters.
     */
    default void onFinalModel(long version, byte[] model) {
    }

    /**
     * A journaled run's account (before {@link #onFinish}): the inputs its journal held at start
     * (a resumed run's prefix), the updates clients took from it instead of training, and the
     * inputs appended, and the wall seconds it took to make the recovered inputs again (NaN if none).
     */
    default void onJournal(long recovered, long recalled, long appended, double caughtUpSeconds) {
    }

    /**
     * Where the run's actors should publish client events ({@link RunMonitor}), or null for nowhere
     * (the default: nobody pays for events nobody reads). Called from the actors' threads: never block.
     */
    default Consumer<RunEvent> runEvents() {
        return null;
    }

    ProgressListener NONE = new ProgressListener() {
    };
}
