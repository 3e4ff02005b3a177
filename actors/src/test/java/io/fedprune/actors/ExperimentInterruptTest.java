package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.experiment.RunHandle;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.serialization.FedpruneConfig;
import org.junit.jupiter.api.Test;

/** A run stopped from outside (what a Ctrl-C hook does) still ends with a summary of what it did. */
class ExperimentInterruptTest {

    static RunSummary run(ExperimentSettings s, ProgressListener progress, RunHandle handle) {
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            return ExperimentRunner.run(e, progress, FedpruneConfig.testing(), handle);
        }
    }

    @Test
    void interruptedRunReturnsTheVersionsSoFar() {
        ExperimentSettings s = ExperimentDeterminismTest.settings("fedprune.stop.max-rounds = 100000");
        RunHandle handle = new RunHandle();
        RunSummary summary = run(s, new ProgressListener() {
            @Override
            public void onRound(RoundRecord r) {
                if (r.version() == 2) {
                    handle.interrupt();
                }
            }
        }, handle);
        assertEquals("interrupted", summary.stopReason());
        assertTrue(handle.interrupted());
        assertTrue(summary.history().size() >= 3 && summary.history().size() < 20, "rows: " + summary.history().size());
        assertEquals(summary.history().get(summary.history().size() - 1).version(), summary.rounds());
        assertTrue(summary.bytesUp() > 0 && summary.bytesDown() > 0, "bytes so far are reported");
    }

    @Test
    void interruptBeforeTheDriverStartsIsDeliveredWhenItDoes() {
        RunHandle handle = new RunHandle();
        handle.interrupt();
        RunSummary summary = run(ExperimentDeterminismTest.settings("fedprune.stop.max-rounds = 100000"),
                ProgressListener.NONE, handle);
        assertEquals("interrupted", summary.stopReason());
        assertTrue(summary.history().size() <= 1, "rows: " + summary.history().size());
    }
}
