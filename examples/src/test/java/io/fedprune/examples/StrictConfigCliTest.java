package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fedprune.actors.experiment.ConfigKeys;
import io.fedprune.examples.CliTest.Result;
import io.fedprune.examples.cli.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mistyped or misplaced key fails before any work, as one line naming it, its origin and a guess. */
class StrictConfigCliTest {
    private static final String PREFIX = "fedprune: invalid configuration: ";

    @TempDir
    Path tmp;

    /** Runs {@code args} expecting exit code 2, nothing written, and returns the one message line. */
    private String refused(String... args) {
        Path out = tmp.resolve("out");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        Result r = CliTest.cli(all);
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out), "nothing may be written for an invalid configuration");
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertEquals(PREFIX, err.substring(0, PREFIX.length()), err);
        return err.substring(PREFIX.length());
    }

    @Test
    void unknownKeysFromSet() {
        assertEquals("fedprune.train.lrr (from --set): unknown key; did you mean fedprune.train.lr?",
                refused("run", "fedavg-fmnist", "--set", "train.lrr=0.1"));
        assertEquals("fedprune.data.clinets (from --set): unknown key; did you mean fedprune.data.clients?",
                refused("run", "fedavg-fmnist", "--set", "data.clinets=10"));
        assertEquals("fedprune.clients (from --set): unknown key; did you mean fedprune.data.clients?",
                refused("run", "fedavg-fmnist", "--set", "fedprune.clients=5"));
        assertEquals("fedprune.data (from --set): a block of settings, not a value; set its keys (clients, dataset, "
                + "dir, partition, test-limit, train-limit, validation-samples)",
                refused("run", "fedavg-fmnist", "--set", "data=5"));
        // sweep, compare and bench load through the same path
        assertEquals("fedprune.train.lrr (from --set): unknown key; did you mean fedprune.train.lr?",
                refused("sweep", "prune-fmnist", "--dry-run", "--set", "train.lrr=0.1"));
        assertEquals("fedprune.codec.uplnk (from --grid): unknown key; did you mean fedprune.codec.uplink?",
                refused("sweep", "fedavg-fmnist", "--dry-run", "--grid", "codec.uplnk=dense;sparse"));
    }

    @Test
    void unknownKeysFromAFileNameItAndTheLine() throws Exception {
        Path file = tmp.resolve("mine.conf");
        Files.writeString(file, """
                fedprune {
                  data { dataset = synthetic, clients = 4 }
                  train.local-epoch = 2
                  devices.speed-classes = [{share = 1, compute-scale = 1, uplink-scale = 1, downlinkscale = 1}]
                }
                """);
        assertEquals("fedprune.devices.speed-classes[0].downlinkscale (from file " + file + ", line 4): unknown "
                + "key; did you mean fedprune.devices.speed-classes[0].downlink-scale? (and 1 more: "
                + "fedprune.train.local-epoch)", refused("run", file.toString()));
    }

    @Test
    void presetsAreNamedAsPresetsInMessages() {
        assertEquals("preset fedavg-fmnist, line 8", ConfigKeys.describe(ConfigLoader.load("fedavg-fmnist", List.of())
                .getValue("fedprune.train.lr").origin()));
        // the preset index is not a preset
        assertEquals("presets (from preset index, line 1): outside fedprune { }, where every experiment setting lives",
                refused("run", "index"));
    }

    @Test
    void aFileMustSetSomethingUnderFedpruneAndNothingElse() throws Exception {
        Path outside = tmp.resolve("outside.conf");
        Files.writeString(outside, "# forgot the fedprune block\ndata { clients = 5 }\ntrain.lr = 0.1\n");
        assertEquals("data (from file " + outside + ", line 2): outside fedprune { }, where every experiment "
                + "setting lives; did you mean fedprune.data? (and 1 more: train)", refused("run", outside.toString()));

        Path pekko = tmp.resolve("pekko.conf");
        Files.writeString(pekko, "fedprune.seed = 3\npekko.loglevel = DEBUG\n");
        assertEquals("pekko (from file " + pekko + ", line 2): outside fedprune { }, where every experiment "
                + "setting lives; the actor system's settings are JVM properties (-Dpekko...=... in FEDPRUNE_JAVA_OPTS)",
                refused("run", pekko.toString()));

        Path empty = tmp.resolve("empty.conf");
        Files.writeString(empty, "# nothing yet\nfedprune { }\n");
        assertEquals("config file " + empty + " sets nothing under fedprune { }; an experiment file overrides "
                + "reference.conf keys there, e.g. fedprune { data.clients = 50 }", refused("run", empty.toString()));
    }

    @Test
    void integersAndLimits() {
        assertEquals("fedprune.data.clients: expected an integer in [1, 10000000], got 5.7",
                refused("run", "fedavg-fmnist", "--set", "data.clients=5.7"));
        assertEquals("fedprune.stop.max-rounds: expected an integer in [0, 1000000000], got 1.0E20",
                refused("run", "fedavg-fmnist", "--set", "stop.max-rounds=1e20"));
        assertEquals("fedprune.stop.max-virtual-time-s: expected a number in [0.0, 1.0E12], got 1.0E20",
                refused("run", "fedavg-fmnist", "--set", "stop.max-virtual-time-s=1e20"));
        assertEquals("fedprune.train.batch-size: expected an integer <= 1000000, got 100000000",
                refused("run", "fedavg-fmnist", "--set", "train.batch-size=100000000"));
    }
}
