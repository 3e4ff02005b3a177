package io.fedprune.actors;

import static io.fedprune.actors.ExperimentSettingsTest.error;
import static io.fedprune.actors.ExperimentSettingsTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.personal.PersonalSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The personal algorithm's settings are strict: every mistake fails before any work, naming its key. */
class PersonalSettingsTest {

    @Test
    void defaultsAreReadFromTheAlgorithmsOwnBlock() {
        PersonalSettings s = (PersonalSettings) parse("fedprune { algorithm = personal, personal.tau-v = 3 }")
                .algorithm().settings();
        assertEquals(List.of(-1), s.personalLayers());
        assertEquals(3, s.tauV());
        assertEquals(0.7, s.maxRatio());
        assertEquals(0, parse("").eval().deviceTestSamples());
        assertEquals(200, parse("fedprune.eval.device-test-samples = 200").eval().deviceTestSamples());
    }

    @Test
    void mistakesNameTheirKeys() {
        String unknown = error("fedprune { algorithm = personal, personal.tau-w = 3 }");
        assertTrue(unknown.contains("fedprune.personal.tau-w"), unknown);
        String noPart = error("fedprune { algorithm = personal, personal { personal-layers = [], tau-v = 4 } }");
        assertTrue(noPart.startsWith("fedprune.personal") && noPart.contains("tau-v = 4"), noPart);
        String fraction = error("fedprune { algorithm = personal, personal.personal-layers = [1.5] }");
        assertTrue(fraction.contains("fedprune.personal.personal-layers"), fraction);
        String ratio = error("fedprune { algorithm = personal, personal.max-ratio = 1 }");
        assertTrue(ratio.contains("fedprune.personal.max-ratio"), ratio);
        String hat = error("fedprune { algorithm = personal, personal.tau-hat-u = 0 }");
        assertTrue(hat.startsWith("fedprune.personal") && hat.contains("tau-hat-u"), hat);
        String negative = error("fedprune.eval.device-test-samples = -1");
        assertTrue(negative.startsWith("fedprune.eval.device-test-samples"), negative);
    }

    @Test
    void whatDependsOnTheModelOrDataFailsWhenTheRunIsAssembled() {
        String common = "fedprune { algorithm = personal, data { dataset = synthetic, clients = 4 }, train.workers = 1, ";
        String layer = assertThrows(SettingsException.class, () -> Experiment.assemble(parse(common
                + "personal.personal-layers = [5] }"))).getMessage();
        assertTrue(layer.startsWith("fedprune.personal: personal layer 5 is out of range"), layer);
        String payload = assertThrows(SettingsException.class, () -> Experiment.assemble(parse(common
                + "codec.uplink-payload = update }"))).getMessage();
        assertTrue(payload.startsWith("fedprune.codec.uplink-payload: personal sends"), payload);
        String tests = assertThrows(SettingsException.class, () -> {
            try (Experiment e = Experiment.assemble(parse(common + "eval.device-test-samples = 5000 }"))) {
                e.deviceTests();
            }
        }).getMessage();
        assertTrue(tests.startsWith("fedprune.eval.device-test-samples = 5000 but the test set has 1000"), tests);
    }
}
