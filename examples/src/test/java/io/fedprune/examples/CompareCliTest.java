package io.fedprune.examples;

import static io.fedprune.examples.OutputsTest.await;
import static io.fedprune.examples.OutputsTest.cli;
import static io.fedprune.examples.OutputsTest.csv;
import static io.fedprune.examples.OutputsTest.json;
import static io.fedprune.examples.OutputsTest.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.fedprune.examples.OutputsTest.Result;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fedprune compare: options checked before any work, parallel runs as sequential ones, Ctrl-C. */
class CompareCliTest {
    static final int CORES = Runtime.getRuntime().availableProcessors();
    static final List<String> PRESETS = List.of("fedavg-fmnist", "fedasync-fmnist");

    @TempDir
    Path tmp;

    /** The two presets on tiny synthetic data; {@code more} adds options. */
    static String[] compare(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("compare"));
        a.addAll(PRESETS);
        a.addAll(List.of("--out", out.toString(), "--quiet", "--set", "data.dataset=synthetic",
                "--set", "data.clients=4", "--set", "eval.every=1"));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    @Test
    void badOptionsAreOneLineBeforeAnyWork() {
        Path out = tmp.resolve("out");
        cli(compare(out, "--parallel", String.valueOf(CORES + 1)))
                .assertClean("--parallel " + (CORES + 1) + ": this machine has " + CORES + " core", "expected 1 to "
                        + CORES);
        cli(compare(out, "--parallel", "0")).assertClean("--parallel 0", "expected 1 to " + CORES);
        cli(compare(out, "--targets", "0.8,1.5")).assertClean("--targets 1.5", "expected test accuracies in (0, 1]");
        cli(compare(out, "--baseline", "fedbuff-fmnist"))
                .assertClean("--baseline fedbuff-fmnist is not a run of this comparison",
                        "expected one of: fedavg-fmnist, fedasync-fmnist");
        assertFalse(Files.exists(out), "nothing written");
    }

    /** rounds.csv without the wall-time column. */
    static List<Map<String, String>> rounds(Path dir) throws Exception {
        List<Map<String, String>> rows = csv(dir.resolve("rounds.csv"));
        rows.forEach(r -> r.remove("wall_time_s"));
        return rows;
    }

    /** The virtual time of the first row of rounds.csv at or above {@code target}, or "" if none. */
    static String firstReached(Path dir, String target) throws Exception {
        return csv(dir.resolve("rounds.csv")).stream()
                .filter(r -> Double.parseDouble(r.get("test_accuracy")) >= Double.parseDouble(target))
                .map(r -> String.valueOf(Double.parseDouble(r.get("virtual_time_s")))).findFirst().orElse("");
    }

    @Test
    void parallelRunsGiveTheRoundsOfSequentialOnesAndOneTable() throws Exception {
        assumeTrue(CORES >= 2, "needs 2 cores");
        int workers = Math.max(1, CORES / 2);
        Path seq = tmp.resolve("seq");
        Path par = tmp.resolve("par");
        // sequential with the workers a parallel compare gives each run by itself
        Result s = cli(compare(seq, "--set", "stop.max-rounds=4", "--set", "train.workers=" + workers));
        assertEquals(0, s.code(), s.err());
        Result p = cli(compare(par, "--set", "stop.max-rounds=4", "--parallel", "2", "--targets", "0.3,0.99",
                "--baseline", "fedavg-fmnist"));
        assertEquals(0, p.code(), p.err());

        for (String preset : PRESETS) {
            assertEquals(workers, ConfigFactory.parseFile(par.resolve(preset).resolve("config.conf").toFile())
                    .getInt("fedprune.train.workers"), "cores shared out among the runs");
            List<Map<String, String>> expected = rounds(seq.resolve(preset));
            assertEquals(5, expected.size(), "versions 0..4");
            assertEquals(expected, rounds(par.resolve(preset)), preset);
            JsonNode summary = json(par.resolve(preset).resolve("summary.json"));
            long perClient = 0;
            for (JsonNode c : summary.get("updates_per_client")) {
                perClient += c.asLong();
            }
            assertEquals(summary.get("updates_accepted").asLong(), perClient, preset);
            assertTrue(summary.get("updates_per_client_max_over_min").asDouble() >= 1, preset);
            for (String direction : List.of("downlink", "uplink")) {
                long byKind = 0;
                for (JsonNode bytes : summary.get("bytes_by_kind").get(direction)) {
                    byKind += bytes.asLong();
                }
                assertEquals(summary.get("bytes_" + (direction.equals("uplink") ? "up" : "down")).asLong(), byKind,
                        preset + " " + direction);
            }
        }
        assertTrue(p.out().contains("compare: 2 runs, up to 2 at once"), p.out());
        assertEquals(2, p.out().lines().filter(l -> l.matches("fedprune: compare: [12]/2 .*max-rounds after 4 "
                + "versions.*")).count(), "one line per finished run:\n" + p.out());
        assertFalse(p.out().contains("results in"), "runs side by side print nothing of their own:\n" + p.out());

        List<Map<String, String>> table = csv(par.resolve("comparison.csv"));
        assertEquals(PRESETS, table.stream().map(r -> r.get("run")).toList(), "every run, in the given order");
        for (String target : List.of("0.30", "0.99")) {
            String base = firstReached(par.resolve(PRESETS.get(0)), target);
            for (int i = 0; i < PRESETS.size(); i++) {
                String time = firstReached(par.resolve(PRESETS.get(i)), target);
                assertEquals(time, table.get(i).get("virtual_s_to_" + target), PRESETS.get(i) + " to " + target);
                String speedUp = table.get(i).get("speedup_vs_fedavg-fmnist_" + target);
                if (time.isEmpty() || base.isEmpty()) {
                    assertEquals("", speedUp);
                } else {
                    assertEquals(Double.parseDouble(base) / Double.parseDouble(time), Double.parseDouble(speedUp),
                            1e-9);
                }
            }
        }
        assertTrue(Files.readString(par.resolve("comparison.md")).contains("| × vs fedavg-fmnist (0.30) |"));
        for (Path dir : List.of(seq, par)) {
            assertTrue(Files.size(dir.resolve("accuracy_vs_time.png")) > 1000, dir + ": the combined plot");
        }
    }

    @Test
    void ctrlCStopsEveryParallelRunAndWritesTheirTable() throws Exception {
        assumeTrue(CORES >= 2, "needs 2 cores");
        Path out = tmp.resolve("stopped");
        StopSignal stop = new StopSignal();
        CompletableFuture<Result> command = CompletableFuture.supplyAsync(() -> cli(stop,
                compare(out, "--set", "stop.max-rounds=100000", "--parallel", "2")));
        for (String preset : PRESETS) {
            Path rounds = out.resolve(preset).resolve("rounds.csv");
            await(command, v -> lines(rounds) >= 3, "rows in " + rounds);
        }
        stop.request(); // what the Ctrl-C / SIGTERM hook does
        Result r = command.get(120, TimeUnit.SECONDS);

        assertEquals(FedpruneCli.INTERRUPTED, r.code(), r.err());
        for (String preset : PRESETS) {
            assertEquals("interrupted", json(out.resolve(preset).resolve("summary.json")).get("stop_reason").asText());
        }
        List<Map<String, String>> table = csv(out.resolve("comparison.csv"));
        assertEquals(PRESETS, table.stream().map(m -> m.get("run")).toList());
        assertTrue(table.stream().allMatch(m -> m.get("stop_reason").equals("interrupted")), table.toString());
        assertTrue(Files.size(out.resolve("accuracy_vs_time.png")) > 1000);
    }
}
