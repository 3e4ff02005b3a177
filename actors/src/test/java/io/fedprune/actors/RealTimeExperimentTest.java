package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.AlgorithmDefaults;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.serialization.FedpruneConfig;
import org.junit.jupiter.api.Test;

/**
 * Real-time mode: a round deadline and a time limit are wall-clock durations of their own, not
 * modelled latencies scaled by the emulation factor (which is 0 here: nothing is emulated).
 */
class RealTimeExperimentTest {

    static RunSummary run(String overrides) {
        ExperimentSettings s = ExperimentSettings.fromConfig(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("""
                        fedprune {
                          clock { mode = real, latency-scale = 0 }
                          data { dataset = synthetic, clients = 3, partition = iid }
                          train { lr = 0.1, batch-size = 16, workers = 1 }
                        }"""))
                .withFallback(AlgorithmDefaults.reference()).resolve());
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            return ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.testing());
        }
    }

    @Test
    void aRoundDeadlineDoesNotCloseRoundsAtOnce() {
        RunSummary r = run("fedprune { fedavg.round-deadline-s = 60, stop.max-rounds = 3 }");
        assertEquals("max-rounds", r.stopReason());
        assertEquals(4, r.history().size());
        for (RoundRecord row : r.history().subList(1, 4)) {
            assertEquals(3.0, row.extra().get("participants"), "every client answered long before the deadline");
        }
        assertEquals(0.0, r.history().get(3).extra().get("stragglers"));
    }

    @Test
    void aTimeLimitIsWallClockTime() {
        long start = System.nanoTime();
        RunSummary r = run("fedprune { algorithm = fedasync, stop { max-rounds = 0, max-virtual-time-s = 2 } }");
        double wall = (System.nanoTime() - start) / 1e9;
        assertEquals("max-time", r.stopReason());
        assertTrue(r.virtualTimeS() >= 2.0, "stopped after the limit, not at once: " + r.virtualTimeS());
        assertTrue(wall >= 2.0, "the limit is wall time: " + wall);
        assertTrue(r.rounds() > 0, "work happened before the limit");
    }
}
