package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import org.junit.jupiter.api.Test;

/** Settings are validated once, before any work, with messages that name the key. */
class ExperimentSettingsTest {

    static ExperimentSettings parse(String hocon) {
        return ExperimentSettings.fromConfig(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    static String error(String hocon) {
        return assertThrows(SettingsException.class, () -> parse(hocon)).getMessage();
    }

    @Test
    void defaultsAreValid() {
        ExperimentSettings s = parse("");
        assertEquals(ExperimentSettings.Algorithm.FEDAVG, s.algorithm());
        assertEquals(20, s.data().clients());
        assertTrue(s.devices().speedClasses().isEmpty());
    }

    @Test
    void speedClassesAreReadFromTheList() {
        ExperimentSettings s = parse("""
                fedprune.devices.speed-classes = [
                  {share = 0.2, compute-scale = 4, uplink-scale = 2, downlink-scale = 2}
                  {share = 0.8, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}
                ]""");
        assertEquals(2, s.devices().speedClasses().size());
        assertEquals(4.0, s.devices().speedClasses().get(0).computeScale());
    }

    @Test
    void badListEntriesAreNamedByTheirPosition() {
        String msg = error("fedprune.devices.speed-classes = [{share = 2, compute-scale = 1, uplink-scale = 1, "
                + "downlink-scale = 1}]");
        assertTrue(msg.startsWith("fedprune.devices.speed-classes[0].share: expected a number in [0.0, 1.0]"), msg);
        String missing = error("fedprune.devices.speed-classes = [{share = 1, uplink-scale = 1, downlink-scale = 1}]");
        assertTrue(missing.startsWith("fedprune.devices.speed-classes[0].compute-scale: missing"), missing);
        String sum = error("fedprune.devices.speed-classes = [{share = 0.5, compute-scale = 1, uplink-scale = 1, "
                + "downlink-scale = 1}]");
        assertTrue(sum.startsWith("fedprune.devices.speed-classes: "), sum);
    }

    @Test
    void everyKindOfMistakeNamesItsKey() {
        assertTrue(error("fedprune.train.lr = 0").startsWith("fedprune.train.lr: expected a number > 0"));
        assertTrue(error("fedprune.train.batch-size = 0").startsWith("fedprune.train.batch-size: expected an integer >= 1"));
        assertTrue(error("fedprune.aggregator.fraction = 1.5").startsWith("fedprune.aggregator.fraction:"));
        assertTrue(error("fedprune.fedasync.staleness = \"cubic\"").startsWith("fedprune.fedasync.staleness: unknown"));
        assertTrue(error("fedprune.model.architecture = resnet").startsWith("fedprune.model.architecture: unknown model"));
        assertTrue(error("fedprune.clock.mode = fast").startsWith("fedprune.clock.mode: expected one of"));
        assertTrue(error("fedprune.devices.link-model = satellite").startsWith("fedprune.devices.link-model:"));
        String payload = error("fedprune.codec.uplink-payload = weights");
        assertTrue(payload.startsWith("fedprune.codec.uplink-payload: uplink payload must be 'model' or 'update'"),
                payload);
        assertTrue(error("fedprune.stop { max-rounds = 0, max-virtual-time-s = 0, stop-at-target = false }")
                .startsWith("fedprune.stop: set max-rounds"));
        for (String key : new String[] {"uplink", "downlink"}) {
            String prune = error("fedprune.codec." + key + " = \"magnitude(1.0) > sparse\"");
            assertTrue(prune.startsWith("fedprune.codec." + key + ": magnitude fraction (the pruned share) must be in [0, 1)")
                    && prune.contains("all-zero model"), prune);
        }
    }
}
