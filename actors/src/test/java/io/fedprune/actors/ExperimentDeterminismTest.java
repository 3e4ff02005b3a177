package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole experiments in virtual time, every message through the Kryo serializer: the same seed
 * gives the same history (except wall time), and virtual time is what the device model says.
 */
class ExperimentDeterminismTest {
    static final Dataset TRAIN = SyntheticDataset.gaussianClusters(1200, 10, 1, 8, 8, 0.4, 11, 1);
    static final Dataset TEST = SyntheticDataset.gaussianClusters(300, 10, 1, 8, 8, 0.4, 11, 2);

    /** The settings of {@code base} with {@code overrides} on top, over the shipped defaults. */
    static ExperimentSettings settings(String base, String overrides) {
        return ExperimentSettings.fromConfig(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString(base))
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    /** A whole run of those settings on {@link #TRAIN} / {@link #TEST}, in virtual time. */
    static RunSummary run(String base, String overrides) {
        try (Experiment e = Experiment.assemble(settings(base, overrides), TRAIN, TEST)) {
            return ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.testing());
        }
    }

    static ExperimentSettings settings(String overrides) {
        Config c = ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("""
                        fedprune {
                          data { dataset = synthetic, clients = 6, partition = "dirichlet(0.5)" }
                          train { lr = 0.1, batch-size = 16, workers = 2 }
                          devices { compute-sigma = 1.0, link-sigma = 1.0 }
                          stop { max-rounds = 4, target-accuracy = 0.5 }
                        }"""))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        return ExperimentSettings.fromConfig(c);
    }

    static RunSummary run(ExperimentSettings s) {
        try (Experiment e = Experiment.assemble(s, TRAIN, TEST)) {
            return ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.testing());
        }
    }

    static void assertSameExceptWallTime(RunSummary a, RunSummary b) {
        assertEquals(a.history().size(), b.history().size());
        for (int i = 0; i < a.history().size(); i++) {
            RoundRecord x = a.history().get(i);
            RoundRecord y = b.history().get(i);
            assertEquals(new RoundRecord(x.version(), x.virtualTimeS(), 0, x.testAccuracy(), x.testLoss(), x.bytesUp(),
                    x.bytesDown(), x.extra()), new RoundRecord(y.version(), y.virtualTimeS(), 0, y.testAccuracy(),
                    y.testLoss(), y.bytesUp(), y.bytesDown(), y.extra()), "row " + i);
        }
    }

    @Test
    void fedAvgWithDeadlineIsAFunctionOfTheSeed() {
        ExperimentSettings s = settings("fedprune.fedavg { fraction = 0.67, round-deadline-s = 3 }");
        RunSummary a = run(s);
        RunSummary b = run(s);
        assertEquals(5, a.history().size()); // versions 0..4
        assertSameExceptWallTime(a, b);
        assertTrue(a.finalAccuracy() > a.history().get(0).testAccuracy() + 0.2,
                "training must help: " + a.history().get(0).testAccuracy() + " -> " + a.finalAccuracy());
        RunSummary other = run(settings("fedprune { seed = 2, fedavg { fraction = 0.67, round-deadline-s = 3 } }"));
        assertTrue(other.finalAccuracy() != a.finalAccuracy() || other.virtualTimeS() != a.virtualTimeS(),
                "a different seed should give a different run");
    }

    @Test
    void fedAsyncIsAFunctionOfTheSeed() {
        ExperimentSettings s = settings("fedprune { algorithm = fedasync, stop.max-rounds = 18, eval.every = 3 }");
        RunSummary a = run(s);
        RunSummary b = run(s);
        assertEquals(7, a.history().size()); // versions 0, 3, ..., 18
        assertSameExceptWallTime(a, b);
        assertTrue(a.history().get(6).extra().get("mean_staleness") > 0, "async updates should be stale sometimes");
    }

    @Test
    void prflWithPruningAndRecoveryIsAFunctionOfTheSeedAndEndsItsOwnTraining() {
        // validation every 3 aggregations, patience 1: recovery runs its course within the test
        ExperimentSettings s = settings("fedprune { algorithm = prfl, data.validation-samples = 200, "
                + "prfl { adjust-interval = 3, patience = 1, last-stage-factor = 2, min-density = 0.2, recovery = \"legacy(0.5)\", "
                + "initial-densities = \"1.0*2, 0.5*2, 0.2*2\" }, train.max-steps = 4, stop.max-rounds = 400, eval.every = 3 }");
        RunSummary a = run(s);
        RunSummary b = run(s);
        assertSameExceptWallTime(a, b);
        assertEquals("training-finished", a.stopReason(), "recovery reached the whole model and stopped");
        RoundRecord last = a.history().get(a.history().size() - 1);
        assertEquals(1.0, last.extra().get("mean_density"), "every client trains the whole model at the end");
        assertTrue(a.history().get(1).extra().get("mean_density") < 1.0, "clients started on sub-models");
        assertTrue(last.extra().get("raises") >= 1);
        assertTrue(a.finalAccuracy() > a.history().get(0).testAccuracy() + 0.2,
                "training must help: " + a.history().get(0).testAccuracy() + " -> " + a.finalAccuracy());
    }

    @Test
    void firstRoundLastsAsLongAsTheSlowestClientsTransfersAndCompute() {
        ExperimentSettings s = settings("fedprune.stop.max-rounds = 1");
        RunSummary r = run(s);
        try (Experiment e = Experiment.assemble(s, TRAIN, TEST)) {
            long modelBytes = e.codec().encode(e.pool().initialParameters()).length;
            long expected = 0;
            for (int i = 0; i < e.shards().size(); i++) {
                DeviceProfile d = e.devices().get(i);
                long samples = e.shards().get(i).size() * (long) s.training().epochs();
                expected = Math.max(expected, d.downloadMicros(modelBytes) + d.computeMicros(samples)
                        + d.uploadMicros(modelBytes));
            }
            List<RoundRecord> h = r.history();
            assertEquals(expected / 1e6, h.get(1).virtualTimeS(), 1e-9);
            assertEquals(6 * modelBytes, h.get(1).bytesUp());
            assertEquals(6 * modelBytes, h.get(1).bytesDown());
        }
    }

    @Test
    void aStrategyThatThrowsEndsTheRunAsAggregatorFailed() {
        RunSummary r = run(settings("fedprune { algorithm = exploding, exploding.fail-at = 9, stop.max-rounds = 4 }"));
        assertEquals("aggregator-failed", r.stopReason());
        assertEquals(2, r.history().size(), "version 0 and the round before the failing update");
        assertEquals(6, r.updatesAccepted(), "the final totals are those of the last published version");
    }

    /**
     * Identical devices: dozens of updates land at the same virtual instant and publish versions
     * faster than they are evaluated. Rows are still recorded in version order, the run stops at
     * exactly the cap, and a rerun is identical.
     */
    @Test
    void simultaneousVersionsAreRecordedInOrderUpToTheCap() {
        ExperimentSettings s = settings("fedprune { algorithm = fedasync, data { clients = 30, partition = iid }, "
                + "devices { compute-sigma = 0, link-sigma = 0 }, stop.max-rounds = 45 }");
        RunSummary a = run(s);
        assertEquals("max-rounds", a.stopReason());
        assertEquals(46, a.history().size());
        for (int v = 0; v <= 45; v++) {
            assertEquals(v, a.history().get(v).version());
        }
        assertSameExceptWallTime(a, run(s));
    }
}
