package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.JournalSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.experiment.RunHandle;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.actors.journal.JournalStore;
import io.fedprune.actors.journal.RunJournal;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.server.ServerInput;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The bit-identical resume check (docs/DURABILITY.md), for every algorithm: a run killed after its
 * journal holds k of its N inputs, resumed from that journal, ends with the very final model and history (apart from
 * wall time) of the uninterrupted run, for several k, while its clients take every journaled update
 * instead of training it again; and its journal ends as the uninterrupted run's, input for input:
 * no accepted update lost, none applied twice.
 */
class ResumeTest {

    /** What a run left: its summary, its final model, and its journal's account. */
    record Outcome(RunSummary summary, byte[] model, long recovered, long recalled, long appended) {
    }

    static Outcome run(ExperimentSettings s, JournalSettings journal) {
        return run(s, journal, s.toString().replaceAll("@[0-9a-f]+", ""));
    }

    static Outcome run(ExperimentSettings s, JournalSettings journal, String fingerprint) {
        byte[][] model = new byte[1][];
        long[] account = new long[3];
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            RunSummary summary = ExperimentRunner.run(e, new ProgressListener() {
                @Override
                public void onFinalModel(long version, byte[] bytes) {
                    model[0] = bytes;
                }

                @Override
                public void onJournal(long recovered, long recalled, long appended, double caughtUpSeconds) {
                    account[0] = recovered;
                    account[1] = recalled;
                    account[2] = appended;
                }
            }, FedpruneConfig.testing(), new RunHandle(), journal, fingerprint);
            return new Outcome(summary, model[0], account[0], account[1], account[2]);
        }
    }

    static JournalSettings h2(Path dir) {
        return new JournalSettings(JournalSettings.Store.H2, dir.toString(), "", "", "");
    }

    static Config storeConfig(JournalSettings j) {
        return j.pekkoConfig().withFallback(FedpruneConfig.local());
    }

    static void assertSameJournal(List<ServerInput> expected, List<ServerInput> actual) {
        assertEquals(expected.size(), actual.size(), "inputs journaled");
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).sameAs(actual.get(i)), "input " + i + ": " + expected.get(i) + " vs " + actual.get(i));
        }
    }

    static long updates(List<ServerInput> inputs) {
        return inputs.stream().filter(i -> i instanceof ServerInput.Update).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "fedprune { fedavg { fraction = 0.67, round-deadline-s = 3 }, stop.max-rounds = 5 }",
        "fedprune { algorithm = fedasync, stop.max-rounds = 14, eval.every = 2 }",
        "fedprune { algorithm = fedbuff, fedbuff.buffer-size = 3, stop.max-rounds = 6 }",
        "fedprune { algorithm = prfl, data.validation-samples = 200, prfl { adjust-interval = 3, patience = 1, "
            + "min-density = 0.2, recovery = \"legacy(0.5)\", initial-densities = \"1.0*2, 0.5*2, 0.2*2\" }, "
            + "train.max-steps = 4, stop.max-rounds = 12 }",
        "fedprune { algorithm = fedfix, fedfix.interval-s = 0.05, stop.max-rounds = 6 }",
        "fedprune { algorithm = heterofl, heterofl { rates = [1, 0.5], shares = [0.5, 0.5] }, stop.max-rounds = 3 }",
        "fedprune { algorithm = tifl, tifl { tiers = 2, clients-per-round = 2, interval = 2, tier-score = validation }, "
            + "data.validation-samples = 200, stop.max-rounds = 5 }"})
    void aRunKilledAfterKJournaledInputsResumesToTheUninterruptedResult(String overrides, @TempDir Path tmp) {
        ExperimentSettings s = ExperimentDeterminismTest.settings(overrides);
        String id = new JournalSettings(JournalSettings.Store.H2, "x", "", "", "").persistenceId(s.name());

        JournalSettings whole = h2(tmp.resolve("whole"));
        Outcome reference = run(s, whole);
        RunJournal.Recovered recorded = JournalStore.read(storeConfig(whole), id);
        List<ServerInput> journal = recorded.inputs();
        int n = journal.size();
        assertEquals(n, reference.appended(), "every input of the uninterrupted run was journaled");
        assertEquals(0, reference.recalled());
        assertTrue(updates(journal) >= 6, "the run journaled its updates: " + updates(journal));

        for (int k : new int[] {1, n / 3, (2 * n) / 3, n - 1}) {
            JournalSettings killed = h2(tmp.resolve("killed-after-" + k));
            List<ServerInput> prefix = journal.subList(0, k);
            JournalStore.append(storeConfig(killed), id, recorded.fingerprint(), prefix); // what a run killed after k inputs leaves
            Outcome resumed = run(s, killed);

            assertEquals(k, resumed.recovered());
            assertArrayEquals(reference.model(), resumed.model(), "k = " + k + ": the final model, bit for bit");
            ExperimentDeterminismTest.assertSameExceptWallTime(reference.summary(), resumed.summary());
            assertEquals(reference.summary().stopReason(), resumed.summary().stopReason());
            assertEquals(reference.summary().bytesUp(), resumed.summary().bytesUp());
            assertEquals(reference.summary().updatesAccepted(), resumed.summary().updatesAccepted());
            assertEquals(updates(prefix), resumed.recalled(), "k = " + k + ": no journaled update was trained again");
            assertEquals(n - k, resumed.appended());
            List<ServerInput> after = JournalStore.read(storeConfig(killed), id).inputs();
            assertSameJournal(journal, after); // nothing lost, nothing twice
            assertArrayEquals(reference.summary().updatesPerClient().toArray(),
                    resumed.summary().updatesPerClient().toArray(), "accepted updates by client");
        }
    }

    @Test
    void aJournalOfAnotherRunIsRefusedNotMixed(@TempDir Path tmp) {
        ExperimentSettings s = ExperimentDeterminismTest.settings("fedprune { algorithm = fedasync, stop.max-rounds = 6 }");
        JournalSettings j = h2(tmp);
        run(s, j);
        // the same name, another seed
        ExperimentSettings other = ExperimentDeterminismTest.settings(
                "fedprune { seed = 5, algorithm = fedasync, stop.max-rounds = 6 }");
        SettingsException e = assertThrows(SettingsException.class, () -> run(other, j));
        assertEquals("the journal in " + tmp + " (H2) holds another run (its configuration differs from this one's); "
                + "resume a run with its own config.conf, or journal elsewhere", e.getMessage());
        // the same fingerprint, but the run departs from the journal (here: another seed behind it)
        SettingsException diverged = assertThrows(SettingsException.class,
                () -> run(other, j, s.toString().replaceAll("@[0-9a-f]+", "")));
        assertTrue(diverged.getMessage().contains("departs from its journal"), diverged.getMessage());
    }

    @Test
    void runsNotYetCoveredAreRefusedInOneLine(@TempDir Path tmp) {
        ExperimentSettings real = ExperimentDeterminismTest.settings("fedprune.clock.mode = real");
        SettingsException e = assertThrows(SettingsException.class, () -> run(real, h2(tmp)));
        assertEquals("fedprune.journal.store = h2: journaled runs are in virtual time only (clock.mode = virtual); "
                + "the real-time aggregator's restart is not built yet", e.getMessage());
        ExperimentSettings ef = ExperimentDeterminismTest.settings("fedprune.codec { uplink = \"magnitude(0.5) > sparse\", "
                + "error-feedback = true }");
        assertEquals("fedprune.journal.store = h2: not with codec.error-feedback = true (a client's residual is not "
                + "journaled yet)", assertThrows(SettingsException.class, () -> run(ef, h2(tmp))).getMessage());
    }

    @Test
    void journalKeysAreReadStrictly() {
        Config c = ConfigFactory.parseString("fedprune.journal { store = postgresql, url = \"jdbc:postgresql://h/db\", "
                + "user = u, id = run-7 }").withFallback(ConfigFactory.defaultReference()).resolve();
        JournalSettings j = JournalSettings.fromConfig(c);
        assertEquals(JournalSettings.Store.POSTGRESQL, j.store());
        assertEquals("fedprune-run|run-7", j.persistenceId("ignored"));
        assertEquals("jdbc:postgresql://h/db", j.pekkoConfig().getString("pekko-persistence-jdbc.shared-databases.fedprune.db.url"));
        Config bad = ConfigFactory.parseString("fedprune.journal { store = mysql }")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        assertThrows(SettingsException.class, () -> JournalSettings.fromConfig(bad));
        Config noUrl = ConfigFactory.parseString("fedprune.journal { store = postgresql }")
                .withFallback(ConfigFactory.defaultReference()).resolve();
        assertTrue(assertThrows(SettingsException.class, () -> JournalSettings.fromConfig(noUrl)).getMessage()
                .contains("journal.url"));
    }
}
