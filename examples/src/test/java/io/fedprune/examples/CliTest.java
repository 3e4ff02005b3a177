package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.report.ResultWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fedprune command as a user runs it. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String err) {
    }

    static Result cli(String... args) {
        StringWriter err = new StringWriter();
        int code = FedpruneCli.execute(new PrintWriter(err, true), args);
        return new Result(code, err.toString());
    }

    @Test
    void invalidSettingFailsBeforeAnyWorkNamingTheKey() {
        Path out = tmp.resolve("bad");
        Result r = cli("run", "fedavg-fmnist", "--set", "train.lr=-1", "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fedprune.train.lr"), r.err());
        assertTrue(r.err().contains("expected a number > 0"), r.err());
        assertFalse(Files.exists(out), "nothing may be written for an invalid configuration");

        Result wrongType = cli("run", "fedavg-fmnist", "--set", "data.clients=many", "--out", out.toString());
        assertEquals(2, wrongType.code());
        assertTrue(wrongType.err().contains("fedprune.data.clients"), wrongType.err());

        Result badChoice = cli("run", "fedavg-fmnist", "--set", "algorithm=fedsgd", "--out", out.toString());
        assertEquals(2, badChoice.code());
        assertTrue(badChoice.err().contains("fedprune.algorithm: unknown algorithm 'fedsgd', expected one of [fedasync, fedavg, fedbuff, fedfix, heterofl, personal, prfl, splitfed, tifl, ttfed]"), badChoice.err());

        Result badPartition = cli("run", "fedavg-fmnist", "--set", "data.partition=\"dirichlet(-1)\"", "--out",
                out.toString());
        assertEquals(2, badPartition.code());
        assertTrue(badPartition.err().contains("fedprune.data.partition"), badPartition.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        Result r = cli("run", "no-such-preset");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown preset 'no-such-preset'"), r.err());
        assertTrue(r.err().contains("fedavg-fmnist"), r.err());
    }

    @Test
    void runWritesSummaryRoundsAndPlots() throws Exception {
        Path out = tmp.resolve("run");
        Result r = cli("run", "fedasync-fmnist", "--quiet", "--out", out.toString(), "--set", "data.dataset=synthetic",
                "--set", "data.clients=4", "--set", "stop.max-rounds=6", "--set", "eval.every=2",
                "--set", "devices.compute-sigma=1");
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("algorithm", "dataset", "clients", "seed", "rounds", "final_accuracy", "best_accuracy",
                "virtual_time_s", "wall_time_s", "bytes_up", "bytes_down", "target_accuracy", "time_to_target_s",
                "bytes_to_target")) {
            assertTrue(s.has(key), "summary.json lacks " + key);
        }
        assertEquals("fedasync", s.get("algorithm").asText());
        assertEquals(6, s.get("rounds").asLong());
        List<String> rows = Files.readAllLines(out.resolve("rounds.csv"));
        assertTrue(rows.get(0).startsWith(String.join(",", ResultWriter.FIXED_COLUMNS)), rows.get(0));
        assertEquals(1 + 4, rows.size(), "header + versions 0, 2, 4, 6");
        assertTrue(Files.size(out.resolve("accuracy_vs_time.png")) > 1000);
        assertTrue(Files.size(out.resolve("accuracy_vs_bytes.png")) > 1000);
        assertTrue(Files.readString(out.resolve("config.conf")).contains("fedasync"));

        // the written configuration reruns the same experiment
        Path again = tmp.resolve("again");
        assertEquals(0, cli("run", out.resolve("config.conf").toString(), "--quiet", "--out", again.toString()).code());
        List<String> rerun = Files.readAllLines(again.resolve("rounds.csv"));
        assertEquals(rows.size(), rerun.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(withoutWallTime(rows.get(i)), withoutWallTime(rerun.get(i)));
        }
    }

    private static String withoutWallTime(String csvRow) {
        String[] cells = csvRow.split(",");
        cells[2] = "";
        return String.join(",", cells);
    }

    /** Real data (CI installs dataset-fashion-mnist): two FedAvg rounds over 20 non-IID clients learn. */
    @Test
    void fashionMnistRoundsLearn() throws Exception {
        Path out = tmp.resolve("fmnist");
        Result r = cli("run", "fedavg-fmnist", "--quiet", "--out", out.toString(), "--set", "stop.max-rounds=2",
                "--set", "data.train-limit=12000", "--set", "data.test-limit=2000");
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("fashion-mnist-train", s.get("dataset").asText());
        assertTrue(s.get("final_accuracy").asDouble() > 0.5, "accuracy after 2 rounds: " + s.get("final_accuracy"));
    }

    @Test
    void everyPresetAndEverySweepPointValidates() {
        for (String preset : io.fedprune.examples.cli.Presets.all().keySet()) {
            Result r = cli("sweep", preset, "--dry-run", "--out", tmp.resolve(preset).toString());
            com.typesafe.config.Config presetConfig = io.fedprune.examples.cli.ConfigLoader.load(preset, List.of());
            boolean hasGrid = !presetConfig.getList("fedprune.sweep.grid").isEmpty();
            // the pin-and-replace check below is shaped for grids over these keys (the pruning sweeps)
            boolean pinnable = presetConfig.getConfigList("fedprune.sweep.grid").stream()
                    .flatMap(axis -> axis.getStringList("keys").stream())
                    .allMatch(k -> List.of("codec.uplink", "codec.downlink", "train.local-epochs", "data.partition")
                            .contains(k));
            if (hasGrid && !pinnable) {
                assertEquals(0, r.code(), preset + ": " + r.err());
            } else if (hasGrid) {
                assertEquals(0, r.code(), preset + ": " + r.err());
                // --set pins an axis and --grid replaces one: 12 rates x 1 x 1 -> here 2 x 1 x 1 runs
                java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
                java.io.PrintStream stdout = System.out;
                System.setOut(new java.io.PrintStream(captured, true));
                try {
                    assertEquals(0, cli("sweep", preset, "--dry-run", "--out", tmp.toString(), "--set",
                            "train.local-epochs=1", "--set", "data.partition=iid", "--grid",
                            "codec.uplink,codec.downlink=dense;magnitude(0.5) > sparse").code());
                } finally {
                    System.setOut(stdout);
                }
                assertTrue(captured.toString().contains("sweep: 2 runs"), captured.toString());
            } else {
                assertEquals(2, r.code(), preset + ": " + r.err()); // no grid: a clear usage error
                assertTrue(r.err().contains("no grid"), r.err());
                // two clients: a preset's per-client link table and initial densities (one entry per
                // client) give way to the fleet's and PR-FL's defaults, and TiFL gets at most one tier each
                assertEquals(0, cli("run", preset, "--set", "stop.max-rounds=0", "--set", "stop.max-virtual-time-s=1",
                        "--quiet", "--set", "data.dataset=synthetic", "--set", "data.clients=2", "--set",
                        "devices.links=[]", "--set", "prfl.initial-densities=\"\"", "--set", "tifl.tiers=2", "--out",
                        tmp.resolve(preset).toString()).code(), preset);
            }
        }
    }

    @Test
    void sweepWritesOneTableAndPlotsAndPrunedRunsSendFewerBytes() throws Exception {
        Path out = tmp.resolve("sweep");
        Result r = cli("sweep", "fedavg-fmnist", "--out", out.toString(),
                "--grid", "codec.uplink,codec.downlink=dense;magnitude(0.5) > sparse;magnitude(0.9) > quantize(8) > sparse",
                "--set", "data.dataset=synthetic", "--set", "data.clients=4", "--set", "stop.max-rounds=2");
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(4, rows.size(), String.join("\n", rows));
        long dense = Long.parseLong(rows.get(1).split(",")[4]);
        long half = Long.parseLong(rows.get(2).split(",")[4]);
        long tenth8 = Long.parseLong(rows.get(3).split(",")[4]);
        assertTrue(half < 0.6 * dense && tenth8 < 0.1 * dense, dense + " " + half + " " + tenth8);
        assertTrue(Files.readString(out.resolve("sweep.md")).contains("magnitude(0.5) > sparse"));
        assertTrue(Files.size(out.resolve("accuracy_vs_bytes.png")) > 1000);
        assertTrue(Files.exists(out.resolve("run-003").resolve("summary.json")));

        // targets chosen after the fact, from the written runs
        assertEquals(0, cli("target", out.toString(), "--reference", out.resolve("run-001").toString()).code());
        assertEquals(2, cli("target", out.toString()).code(), "needs --accuracy or --reference");
        assertEquals(0, cli("target", out.toString(), "--reference", out.resolve("run-001").toString(), "--best")
                .code());
        assertEquals(0, cli("target", out.toString(), "--reference", out.resolve("run-001").toString(),
                "--accuracy", "0.5").code());
        assertEquals(0, TargetCommandRows.firstVersionAt(out.resolve("run-001"), 0.0));
    }
}
