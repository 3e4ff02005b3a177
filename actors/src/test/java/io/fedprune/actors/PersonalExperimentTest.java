package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.personal.Personal;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The personal algorithm as a whole run in virtual time, every message through the Kryo
 * serializer: devices report their personalized accuracy every round and it rises; a round lasts
 * what the allocator planned (compute + upload at the least common threshold) plus the download;
 * the uplink carries only the pruned global part.
 */
class PersonalExperimentTest {
    static final String BASE = """
            fedprune {
              algorithm = personal
              data { dataset = synthetic, clients = 4, partition = "shards(2)" }
              train { lr = 0.1, batch-size = 16, workers = 1 }
              codec { uplink = "sparse", downlink = "sparse" }
              eval.device-test-samples = 60
              personal { tau-v = 3, tau-u = 2, tau-hat-u = 2, max-ratio = 0.6, latency-threshold-s = 0 }
              stop { max-rounds = 3, target-accuracy = null }
            }""";

    @Test
    void devicesReportTheirAccuracyAndRoundsLastWhatTheAllocatorPlanned() {
        ExperimentSettings s = ExperimentSettings.fromConfig(ConfigFactory.parseString(BASE)
                .withFallback(ConfigFactory.defaultReference()).resolve());
        RunSummary r;
        long globalEntries;
        long downloadMicros;
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            r = ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.testing());
            Personal strategy = (Personal) e.newStrategy();
            globalEntries = strategy.parts().globalLength();
            int n = e.pool().layout().totalLength();
            // what a device downloads: the global part (sparse, all its entries non-zero) and its mask
            long down = SparseFloat32Codec.bitmapSize(n, (int) globalEntries) + strategy.parts().global().toBytes().length;
            downloadMicros = e.devices().stream().mapToLong(d -> d.downloadMicros(down)).max().orElseThrow();
        }
        List<RoundRecord> h = r.history();
        assertEquals(4, h.size());
        for (int v = 1; v < h.size(); v++) {
            var m = h.get(v).extra();
            assertEquals(4.0, m.get("devices_measured"), "version " + v);
            assertEquals(0.0, m.get("late_devices"));
            assertTrue(m.get("rho_mean") > 0 && m.get("rho_max") <= 0.6 + 1e-12, "rho " + m.get("rho_mean"));
            double round = h.get(v).virtualTimeS() - h.get(v - 1).virtualTimeS();
            assertEquals(round, m.get("round_latency_s"), 1e-6, "the round is its slowest device's");
            double planned = m.get("planned_latency_s");
            assertEquals(planned, m.get("threshold_s"), 1e-6 * planned, "every deadline binds at the least threshold");
            // measured = download + compute (rounded up to microseconds) + upload of the real bytes,
            // which are at most the plan's (its bitmap) plus the bitmap's personal entries
            double measured = m.get("round_latency_s") - downloadMicros / 1e6;
            assertTrue(measured <= planned * 1.01 + 1e-5 && measured >= planned * 0.8,
                    "version " + v + ": measured " + measured + " s, planned " + planned + " s");
        }
        double first = h.get(1).extra().get("device_acc_mean");
        double last = h.get(3).extra().get("device_acc_mean");
        assertTrue(last > first + 0.2, "personalized accuracy rises: " + first + " -> " + last);
        assertTrue(h.get(3).extra().get("device_acc_min") <= last && last <= h.get(3).extra().get("device_acc_max"));
        long denseUploads = 3L * 4 * 4 * globalEntries;
        assertTrue(r.bytesUp() < 0.75 * denseUploads, "pruned uploads: " + r.bytesUp() + " of " + denseUploads);
    }
}
