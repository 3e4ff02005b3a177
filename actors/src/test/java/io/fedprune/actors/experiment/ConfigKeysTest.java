package io.fedprune.actors.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key under fedprune is declared in reference.conf, or the run fails naming it, its origin and a guess. */
class ConfigKeysTest {
    @TempDir
    Path tmp;

    static Config layer(String hocon, String origin) {
        return ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(origin));
    }

    static Config resolved(Config layer) {
        return layer.withFallback(ConfigFactory.defaultReference()).resolve();
    }

    static String error(Config layer) {
        return assertThrows(SettingsException.class, () -> ConfigKeys.check(resolved(layer))).getMessage();
    }

    static String fromSet(String hocon) {
        return error(layer(hocon, ConfigKeys.COMMAND_LINE));
    }

    @Test
    void theShippedDefaultsAreAllKnown() {
        ConfigKeys.check(ConfigFactory.defaultReference());
        ConfigKeys.check(resolved(layer("""
                fedprune.devices.speed-classes = [
                  {share = 0.5, compute-scale = 2, uplink-scale = 1, downlink-scale = 1}
                  {share = 0.5, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}
                ]
                fedprune.sweep.grid = [{keys = [data.partition], values = [iid]}]
                fedprune.stop.target-accuracy = null
                """, "test")));
    }

    @Test
    void unknownKeysNameTheirOriginAndTheClosestKnownKey() {
        assertEquals("fedprune.train.lrr (from --set): unknown key; did you mean fedprune.train.lr?",
                fromSet("fedprune.train.lrr = 0.1"));
        // a transposition is one edit
        assertEquals("fedprune.data.clinets (from --set): unknown key; did you mean fedprune.data.clients?",
                fromSet("fedprune.data.clinets = 10"));
        // the last segment alone finds a key in another block
        assertEquals("fedprune.clients (from --set): unknown key; did you mean fedprune.data.clients?",
                fromSet("fedprune.clients = 5"));
        assertEquals("fedprune.batch-size (from --set): unknown key; did you mean fedprune.eval.batch-size or "
                + "fedprune.train.batch-size?", fromSet("fedprune.batch-size = 5"));
        assertEquals("fedprune.train.batchsize (from --set): unknown key; did you mean fedprune.train.batch-size?",
                fromSet("fedprune.train.batchsize = 5"));
        // nothing close: the keys of the block it was written in
        assertEquals("fedprune.data.zzzzzz (from --set): unknown key; fedprune.data has: clients, dataset, dir, "
                + "partition, test-limit, train-limit, validation-samples", fromSet("fedprune.data.zzzzzz = 1"));
        String two = fromSet("fedprune { train.lrr = 0.1, seeed = 3 }");
        assertEquals("fedprune.seeed (from --set): unknown key; did you mean fedprune.seed? (and 1 more: "
                + "fedprune.train.lrr)", two);
    }

    @Test
    void originsSayWhichPresetOrFileAndLine() throws Exception {
        assertEquals("fedprune.data.clinets (from preset p, line 3): unknown key; did you mean fedprune.data.clients?",
                error(layer("fedprune {\n  name = x\n  data { clinets = 4 }\n}", "preset p")));
        Path file = tmp.resolve("my.conf");
        Files.writeString(file, "fedprune {\n  algorithm = fedasync\n  fedasync.alpa = 0.5\n}\n");
        assertEquals("fedprune.fedasync.alpa (from file " + file + ", line 3): unknown key; did you mean "
                + "fedprune.fedasync.alpha?", error(ConfigFactory.parseFile(file.toFile())));
    }

    @Test
    void listElementsAreCheckedToo() {
        assertEquals("fedprune.devices.speed-classes[1].shar (from --set): unknown key; did you mean "
                        + "fedprune.devices.speed-classes[1].share?",
                fromSet("fedprune.devices.speed-classes = [{share = 0.5, compute-scale = 1, uplink-scale = 1, "
                        + "downlink-scale = 1}, {shar = 0.5, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}]"));
        assertEquals("fedprune.sweep.grid[0].key (from --set): unknown key; did you mean fedprune.sweep.grid[0].keys?",
                fromSet("fedprune.sweep.grid = [{key = [seed], values = [1, 2]}]"));
    }

    @Test
    void aValueWhereABlockIsDeclaredAndTheReverseFail() {
        assertEquals("fedprune.data (from --set): a block of settings, not a value; set its keys (clients, dataset, "
                + "dir, partition, test-limit, train-limit, validation-samples)", fromSet("fedprune.data = 5"));
        assertEquals("fedprune.train.lr (from --set): a single value, not a block, e.g. fedprune.train.lr = 0.05",
                fromSet("fedprune.train.lr { x = 1 }"));
        assertTrue(fromSet("fedprune.stop = null").startsWith("fedprune.stop (from --set): a block of settings"));
    }

    @Test
    void actorSystemSettingsAreNotExperimentSettings() {
        assertTrue(ConfigFactory.defaultReference().hasPath("fedprune.serialization.pool-size"));
        assertEquals("fedprune.serialization.pool-size (from --set): configures the actor system, not an experiment; "
                + "set it as a JVM property (-Dfedprune.serialization.pool-size=... in FEDPRUNE_JAVA_OPTS)",
                fromSet("fedprune.serialization.pool-size = 4"));
        assertTrue(fromSet("fedprune.serialization.poolsize = 4")
                .startsWith("fedprune.serialization.poolsize (from --set): configures the actor system"));
    }

    @Test
    void keysComeFromReferenceConfNotFromAList() {
        // what a colleague's new per-algorithm block looks like once it is in reference.conf
        Config reference = ConfigFactory.parseString("""
                fedprune { seed = 1, fedbuff { buffer-size = 10, server-lr = null, tiers = [] } }
                fedprune-list-elements.fedbuff.tiers { share = 1, lag-s = 0 }
                """);
        ConfigKeys keys = new ConfigKeys(reference);
        keys.checkFedprune(layer("fedprune.fedbuff { buffer-size = 5, server-lr = 0.5, tiers = [{lag-s = 3}] }",
                "test"));
        String msg = assertThrows(SettingsException.class,
                () -> keys.checkFedprune(layer("fedprune.fedbuff.tiers = [{lags = 3}]", "test"))).getMessage();
        assertEquals("fedprune.fedbuff.tiers[0].lags (from test, line 1): unknown key; did you mean "
                + "fedprune.fedbuff.tiers[0].lag-s?", msg);
        msg = assertThrows(SettingsException.class,
                () -> keys.checkFedprune(layer("fedprune.fedbuf.buffer-size = 3", "test"))).getMessage();
        assertEquals("fedprune.fedbuf.buffer-size (from test, line 1): unknown key; did you mean "
                + "fedprune.fedbuff.buffer-size?", msg);
        // a block that exists nowhere: its setting's own name finds where it lives
        msg = assertThrows(SettingsException.class,
                () -> keys.checkFedprune(layer("fedprune.aggregator.buffer-size = 3", "test"))).getMessage();
        assertEquals("fedprune.aggregator.buffer-size (from test, line 1): unknown key; did you mean "
                + "fedprune.fedbuff.buffer-size?", msg);
    }

    @Test
    void aLayerSetsSomethingUnderFedpruneAndNothingElse() {
        ConfigKeys keys = ConfigKeys.reference();
        assertEquals("file a.conf sets nothing under fedprune { }; an experiment file overrides reference.conf keys "
                        + "there, e.g. fedprune { data.clients = 50 }",
                assertThrows(SettingsException.class, () -> keys.checkLayer(layer("", "file a.conf"), "file a.conf"))
                        .getMessage());
        assertThrows(SettingsException.class, () -> keys.checkLayer(layer("fedprune {}", "f"), "file f"));
        assertEquals("clients (from file b.conf, line 1): outside fedprune { }, where every experiment setting lives; "
                        + "did you mean fedprune.data.clients?",
                assertThrows(SettingsException.class,
                        () -> keys.checkLayer(layer("clients = 5", "file b.conf"), "file b.conf")).getMessage());
        assertEquals("data (from f, line 2): outside fedprune { }, where every experiment setting lives; did you mean "
                        + "fedprune.data?",
                assertThrows(SettingsException.class,
                        () -> keys.checkLayer(layer("fedprune.seed = 2\ndata { clients = 5 }", "f"), "f")).getMessage());
        assertTrue(assertThrows(SettingsException.class,
                () -> keys.checkLayer(layer("fedprune.seed = 2\npekko.loglevel = DEBUG", "f"), "f")).getMessage()
                .startsWith("pekko (from f, line 2): outside fedprune { }"));
        keys.checkLayer(layer("fedprune.seed = 2", "f"), "f");
    }

    @Test
    void aSingleKeyNamedElsewhere() {
        ConfigKeys keys = ConfigKeys.reference();
        keys.checkSetting("codec.uplink", "--grid");
        keys.checkSetting("fedprune.train.local-epochs", "--grid");
        assertEquals("fedprune.codec.uplnk (from --grid): unknown key; did you mean fedprune.codec.uplink?",
                assertThrows(SettingsException.class, () -> keys.checkSetting("codec.uplnk", "--grid")).getMessage());
        assertTrue(assertThrows(SettingsException.class, () -> keys.checkSetting("data", "--grid")).getMessage()
                .startsWith("fedprune.data (from --grid): a block of settings, not a value"));
        assertTrue(assertThrows(SettingsException.class, () -> keys.checkSetting("train.lr.x", "--grid")).getMessage()
                .startsWith("fedprune.train.lr.x (from --grid): unknown key"));
    }

    @Test
    void nullRemovesAnOptionalSetting() {
        ExperimentSettings s = ExperimentSettings.fromConfig(resolved(layer("fedprune.stop.target-accuracy = null",
                "test")));
        assertNull(s.stop().targetAccuracy());
    }

    @Test
    void editDistanceCountsATranspositionOnce() {
        assertEquals(1, ConfigKeys.distance("clinets", "clients"));
        assertEquals(1, ConfigKeys.distance("lrr", "lr"));
        assertEquals(0, ConfigKeys.distance("", ""));
        assertEquals(3, ConfigKeys.distance("abc", ""));
    }
}
