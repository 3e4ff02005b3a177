package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TT-Prune as a whole run in virtual time over wireless devices, every message through the Kryo
 * serializer: the planner prunes when the band is scarce, the uploads it planned are the bytes
 * that travelled (within rounding), every planned upload makes its deadline, and the model learns.
 */
class TtPruneExperimentTest {
    static final String BASE = """
            fedprune {
              algorithm = ttfed
              data { dataset = synthetic, clients = 6, partition = iid }
              train { lr = 0.1, batch-size = 16, workers = 2, max-steps = 10 }
              devices {
                speed-classes = [
                  {share = 0.34, compute-scale = 4, uplink-scale = 1, downlink-scale = 1}
                  {share = 0.33, compute-scale = 2, uplink-scale = 1, downlink-scale = 1}
                  {share = 0.33, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}
                ]
                link-model = wireless
                wireless.bandwidth-hz = 1.0e4
              }
              codec.uplink = "sparse"
              ttfed { tick-s = 1, max-prune-ratio = 0.8, bandwidth-hz = 6.0e4 }
              stop { max-rounds = 0, max-virtual-time-s = 30 }
              eval.every = 1
            }""";

    static ExperimentSettings settings(String overrides) {
        return ExperimentDeterminismTest.settings(BASE, overrides);
    }

    static RunSummary run(String overrides) {
        return ExperimentDeterminismTest.run(BASE, overrides);
    }

    @Test
    void aScarceBandIsMetByPruningAndThePlannedBytesAreTheBytesSent() {
        RunSummary r = run("");
        List<RoundRecord> h = r.history();
        RoundRecord last = h.get(h.size() - 1);
        double maxRatio = h.stream().skip(1).mapToDouble(x -> x.extra().get("mean_prune_ratio")).max().orElseThrow();
        assertTrue(maxRatio > 0.1, "the band is scarce: the planner prunes, up to " + maxRatio);
        double planned = last.extra().get("planned_upload_bytes");
        // at the last version: uploads still in flight at the end are in neither count
        assertTrue(Math.abs(last.bytesUp() - planned) <= 0.001 * planned, "uploads as planned: measured "
                + last.bytesUp() + " B, planned " + planned + " B");
        assertEquals(0, last.extra().get("missed_deadline"), "every planned upload made its tier's deadline");
        double use = last.extra().get("max_deadline_use");
        assertTrue(use < 1 && use > 0.5, "rounds end within their tier's window m ΔT, the upload planned into it: " + use);
        assertTrue(r.finalAccuracy() > 0.4, "TT-Prune learns: " + r.finalAccuracy());
    }

    @Test
    void withoutPruningTheSameBandCarriesDenseUploadsOfSlowerTiers() {
        RunSummary pruned = run("");
        RunSummary dense = run("fedprune.ttfed.max-prune-ratio = 0");
        List<RoundRecord> h = dense.history();
        assertEquals(0.0, h.get(h.size() - 1).extra().get("mean_prune_ratio"));
        double bytesPerUpdateDense = (double) dense.bytesUp() / dense.updatesAccepted();
        double bytesPerUpdatePruned = (double) pruned.bytesUp() / pruned.updatesAccepted();
        assertTrue(bytesPerUpdatePruned < 0.9 * bytesPerUpdateDense, "pruned uploads are smaller: "
                + bytesPerUpdatePruned + " vs " + bytesPerUpdateDense);
    }

    @Test
    void badSettingsNameTheirKey() {
        assertTrue(assertThrows(SettingsException.class, () -> settings("fedprune.ttfed.tick = 1")).getMessage()
                .matches("fedprune.ttfed.tick .*unknown key; fedprune.ttfed has: .*tick-s.*"));
        assertTrue(assertThrows(SettingsException.class, () -> settings("fedprune.ttfed.max-prune-ratio = 1"))
                .getMessage().startsWith("fedprune.ttfed.max-prune-ratio"));
        assertTrue(assertThrows(SettingsException.class, () -> settings("fedprune.ttfed.weighting = equal"))
                .getMessage().contains("expected inverse-frequency or fedat"));
    }
}
