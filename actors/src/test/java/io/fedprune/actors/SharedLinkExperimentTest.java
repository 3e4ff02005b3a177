package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.metrics.RunSummary;
import org.junit.jupiter.api.Test;

/**
 * PR-FL's network model in whole runs of real clients: a per-client link table in paper units,
 * per-round redraws and the shared server link keep a run a function of its seed, and the link
 * does change the timing (it is on the path).
 */
class SharedLinkExperimentTest {
    static final String PRFL_NETWORK = """
            fedprune {
              algorithm = fedasync
              stop { max-rounds = 18 }
              eval.every = 3
              devices {
                speed-unit = paper-mb
                links = [{download = 20, upload = 5, compute-scale = 1}, {download = 12, upload = 3, compute-scale = 1},
                         {download = 6, upload = 1.5, compute-scale = 1}, {download = 2.5, upload = 0.6, compute-scale = 1},
                         {download = 2, upload = 0.5, compute-scale = 1}, {download = 1.5, upload = 0.4, compute-scale = 1}]
                redraw-sigma = 0.3
                server { upload = 10, download = 50, sigma = 0.1, shared = %s }
              }
            }""";

    @Test
    void aRunOnTheSharedLinkIsAFunctionOfTheSeed() {
        ExperimentSettings s = ExperimentDeterminismTest.settings(PRFL_NETWORK.formatted("true"));
        RunSummary a = ExperimentDeterminismTest.run(s);
        RunSummary b = ExperimentDeterminismTest.run(s);
        assertEquals(7, a.history().size());
        ExperimentDeterminismTest.assertSameExceptWallTime(a, b);
        RunSummary unshared = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                PRFL_NETWORK.formatted("false")));
        assertNotEquals(unshared.virtualTimeS(), a.virtualTimeS(), "the shared link must change the timing");
        // the first update comes from client 0 (20 down / 5 up of a 37-unit model): at least its
        // uncontended download and upload, 37/20 + 37/5 s (the redraw moves it by some 10%)
        assertTrue(a.history().get(1).virtualTimeS() > 0.8 * (37.0 / 20 + 37.0 / 5), "" + a.history().get(1));
    }

    @Test
    void aLinkTableOfTheWrongLengthIsRefusedInOneLine() {
        String bad = PRFL_NETWORK.formatted("true").replace("{download = 20, upload = 5, compute-scale = 1}, ", "");
        SettingsException e = assertThrows(SettingsException.class, () -> ExperimentDeterminismTest.settings(bad));
        assertEquals("fedprune.devices.links: 5 entries but data.clients = 6; expected one entry per client "
                + "(or none, for the generated fleet)", e.getMessage());
        SettingsException real = assertThrows(SettingsException.class, () -> ExperimentDeterminismTest.settings(
                PRFL_NETWORK.formatted("true") + "\nfedprune.clock.mode = real"));
        assertTrue(real.getMessage().startsWith("fedprune.devices.server.shared: the shared server link is modelled "
                + "in virtual time only"), real.getMessage());
        SettingsException unit = assertThrows(SettingsException.class, () -> ExperimentDeterminismTest.settings(
                PRFL_NETWORK.formatted("true") + "\nfedprune.devices.speed-unit = MBs"));
        assertEquals("fedprune.devices.speed-unit: expected mbps or paper-mb, got MBs", unit.getMessage());
    }
}
