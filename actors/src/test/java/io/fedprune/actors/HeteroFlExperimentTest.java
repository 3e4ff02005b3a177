package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.aggregate.HeteroFl;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.prune.WidthSlice;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HeteroFL as a whole run in virtual time, every message through the Kryo serializer: it learns,
 * the fastest class trains the whole model and the slowest the quarter-width one, and the first
 * round lasts as long as the slowest client's transfers plus its compute scaled by its slice's FLOPs.
 */
class HeteroFlExperimentTest {
    static final String BASE = """
            fedprune {
              algorithm = heterofl
              data { dataset = synthetic, clients = 6, partition = iid }
              train { lr = 0.1, batch-size = 16, workers = 2 }
              # three classes, fastest first: clients 0-1 four times, 2-3 twice the base CPU speed
              devices.speed-classes = [
                {share = 0.34, compute-scale = 4, uplink-scale = 1, downlink-scale = 1}
                {share = 0.33, compute-scale = 2, uplink-scale = 1, downlink-scale = 1}
                {share = 0.33, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}
              ]
              heterofl { rates = [1, 0.5, 0.25], shares = [0.34, 0.33, 0.33] }
              stop { max-rounds = 5, target-accuracy = 0.5 }
            }""";

    static ExperimentSettings settings(String overrides) {
        return ExperimentSettings.fromConfig(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString(BASE))
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void heteroFlLearnsAndEachRoundLastsAsLongAsTheSlowestScaledClient() {
        ExperimentSettings s = settings("");
        RunSummary r;
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            r = ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.testing());
            HeteroFl strategy = (HeteroFl) e.newStrategy();
            double[] rates = {1, 1, 0.5, 0.5, 0.25, 0.25};
            long modelBytes = e.codec().encode(e.pool().initialParameters()).length;
            long uploadBytes = e.fixedUploadBytes();
            long expected = 0;
            for (int i = 0; i < 6; i++) {
                assertEquals(rates[i], strategy.rateOf(i), "client " + i + ": by speed, fastest widest");
                long maskBytes = 0;
                double scale = 1;
                if (rates[i] < 1) {
                    WidthSlice slice = WidthSlice.of(e.pool().spec(), rates[i]);
                    maskBytes = slice.coverage().toBytes().length;
                    scale = slice.flopsFraction();
                }
                DeviceProfile d = e.devices().get(i);
                long samples = e.shards().get(i).size() * (long) s.training().epochs();
                expected = Math.max(expected, d.downloadMicros(modelBytes + maskBytes)
                        + (long) Math.ceil(d.computeMicros(samples) * scale) + d.uploadMicros(uploadBytes));
            }
            assertEquals(expected / 1e6, r.history().get(1).virtualTimeS(), 1e-9);
        }
        List<RoundRecord> h = r.history();
        assertEquals(6, h.size()); // versions 0..5
        double chance = 0.1;
        assertTrue(h.get(0).testAccuracy() < chance + 0.15, "starts near chance: " + h.get(0).testAccuracy());
        assertTrue(r.finalAccuracy() > chance + 0.3, "HeteroFL must learn: " + h.get(0).testAccuracy() + " -> "
                + r.finalAccuracy());
        assertEquals((2 * 1 + 2 * 0.5 + 2 * 0.25) / 6, h.get(1).extra().get(HeteroFl.MEAN_RATE), 1e-12);
        assertEquals(1.0, h.get(1).extra().get(HeteroFl.COVERAGE));
    }

    static String error(String hocon) {
        return assertThrows(SettingsException.class, () -> settings(hocon)).getMessage();
    }

    @Test
    void badSettingsNameTheirKey() {
        assertEquals("fedprune.heterofl.rates[1]: expected a number in [0.0, 1.0], got 2.0",
                error("fedprune.heterofl.rates = [1, 2]"));
        assertTrue(error("fedprune.heterofl.rates = [0.5, 1]").startsWith(
                "fedprune.heterofl: rates: must be strictly decreasing (widest first)"));
        assertTrue(error("fedprune.heterofl.rates = 1").startsWith("fedprune.heterofl.rates: expected a list of numbers"));
        assertEquals("fedprune.heterofl: shares: one share per rate (3), got 2; [] for equal shares",
                error("fedprune.heterofl.shares = [0.5, 0.5]"));
        assertEquals("fedprune.heterofl.assignment: expected by-speed or fixed, got 'random'",
                error("fedprune.heterofl.assignment = random"));
        assertTrue(error("fedprune.heterofl.rate = [1]").contains("did you mean fedprune.heterofl.rates?"));
    }
}
