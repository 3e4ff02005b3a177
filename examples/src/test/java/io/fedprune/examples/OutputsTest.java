package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import io.fedprune.examples.report.ResultWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run leaves behind when things go wrong: the output folder is checked before any work,
 * results are never mixed with an earlier run's, an interrupted run keeps what it did, a sweep
 * resumes, and data or partition problems are one line with exit code 2.
 */
class OutputsTest {
    @TempDir
    Path tmp;

    record Result(int code, String err, String out) {
        /** One or two lines of message, no stack trace. */
        void assertClean(String... fragments) {
            assertEquals(2, code, err);
            assertFalse(err.contains("\tat "), "no stack trace without --verbose:\n" + err);
            assertTrue(err.strip().lines().count() <= 2, "one or two lines:\n" + err);
            assertTrue(err.startsWith("fedprune: "), err);
            for (String f : fragments) {
                assertTrue(err.contains(f), "'" + f + "' not in: " + err);
            }
        }
    }

    static final List<String> TINY = List.of("--quiet", "--set", "data.dataset=synthetic", "--set", "data.clients=4",
            "--set", "train.workers=1");

    static Result cli(StopSignal stop, String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = FedpruneCli.execute(new PrintWriter(err, true), stop, args);
            return new Result(code, err.toString(), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    static Result cli(String... args) {
        return cli(new StopSignal(), args);
    }

    static String[] tiny(String command, String source, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(command, source, "--out", out.toString()));
        a.addAll(command.equals("sweep") ? TINY.subList(1, TINY.size()) : TINY); // a sweep is always quiet
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    static List<Map<String, String>> csv(Path file) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Waits (bounded) until the condition holds, failing at once if the command ended first. */
    static void await(CompletableFuture<Result> command, Predicate<Void> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.test(null)) {
            assertFalse(command.isDone(), "the command ended before " + what + ": " + (command.isDone()
                    ? command.get() : ""));
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void outputFolderIsCheckedBeforeAnyWork() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        cli(tiny("run", "fedavg-fmnist", file, "--set", "stop.max-rounds=1")).assertClean("output folder", "is a file");
        cli(tiny("run", "fedavg-fmnist", file.resolve("sub"), "--set", "stop.max-rounds=1"))
                .assertClean("cannot be created");
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        cli(tiny("run", "fedavg-fmnist", Path.of("/proc/fedprune-no/such"), "--set", "stop.max-rounds=1"))
                .assertClean("output folder /proc/fedprune-no/such cannot be created", "no such file or directory");
        cli(tiny("run", "fedavg-fmnist", Path.of("/proc"), "--set", "stop.max-rounds=1"))
                .assertClean("output folder /proc is not writable");
        // the same checks guard sweep and compare, before their first run
        cli(tiny("sweep", "fedavg-fmnist", file, "--grid", "train.lr=0.1;0.2", "--set", "stop.max-rounds=1"))
                .assertClean("is a file");
        cli("compare", "fedavg-fmnist", "fedasync-fmnist", "--out", file.toString(), "--set", "stop.max-rounds=1")
                .assertClean("is a file");
    }

    @Test
    void earlierResultsAreRefusedUnlessForceWhichRemovesThemFirst() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=2")).code());
        String summary = Files.readString(out.resolve("summary.json"));
        Files.writeString(out.resolve("notes.txt"), "mine");

        cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=1"))
                .assertClean("already holds results", "summary.json, rounds.csv", "--force");
        assertEquals(summary, Files.readString(out.resolve("summary.json")), "a refused run touches nothing");

        // a crashed run's rows alone count as results too
        Path crashed = tmp.resolve("crashed");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve("rounds.csv"), "version\n0\n");
        cli(tiny("run", "fedavg-fmnist", crashed, "--set", "stop.max-rounds=1")).assertClean("(rounds.csv)");

        // a plot the new run does not write must not survive either: no mix of old and new
        Files.delete(out.resolve("accuracy_vs_time.png"));
        Files.writeString(out.resolve("accuracy_vs_time.png"), "old plot");
        Result forced = cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=1", "--force"));
        assertEquals(0, forced.code(), forced.err());
        assertEquals(1, json(out.resolve("summary.json")).get("rounds").asLong());
        assertEquals(2, csv(out.resolve("rounds.csv")).size(), "versions 0 and 1 only");
        assertTrue(Files.readString(out.resolve("config.conf")).contains("max-rounds=1"));
        assertTrue(Files.size(out.resolve("accuracy_vs_time.png")) > 1000, "the old file was replaced");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "files a run does not write stay");
    }

    @Test
    void interruptedRunKeepsItsRowsAndSaysSoInItsSummary() throws Exception {
        Path out = tmp.resolve("stopped");
        StopSignal stop = new StopSignal();
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> cli(stop,
                tiny("run", "fedasync-fmnist", out, "--set", "stop.max-rounds=100000")));
        // rows are on disk while the run goes on: header + versions 0..3
        await(run, v -> lines(out.resolve("rounds.csv")) >= 5, "rows in rounds.csv");
        assertFalse(Files.exists(out.resolve("summary.json")), "no summary before the end");
        stop.request(); // what the Ctrl-C / SIGTERM hook does
        Result r = run.get(120, TimeUnit.SECONDS);

        assertEquals(FedpruneCli.INTERRUPTED, r.code(), r.err());
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals("interrupted", s.get("stop_reason").asText());
        List<Map<String, String>> rows = csv(out.resolve("rounds.csv"));
        assertTrue(rows.size() >= 4, "rows so far: " + rows.size());
        Map<String, String> last = rows.get(rows.size() - 1);
        assertEquals(Long.parseLong(last.get("version")), s.get("rounds").asLong());
        assertTrue(s.get("rounds").asLong() < 100000);
        // bytes so far: up to the last published version, which may be past the last evaluated one
        assertTrue(s.get("bytes_up").asLong() >= Long.parseLong(last.get("bytes_up")), "bytes so far");
        for (Map<String, String> row : rows) {
            for (String column : ResultWriter.FIXED_COLUMNS) {
                assertFalse(row.get(column).isEmpty(), column + " in " + row);
            }
        }
        assertTrue(Files.size(out.resolve("accuracy_vs_bytes.png")) > 1000);
        assertTrue(r.out().contains("interrupted after"), r.out());
    }

    @Test
    void sweepWritesItsTablePerRunAndResumesAfterAnInterruption() throws Exception {
        Path out = tmp.resolve("sweep");
        String[] sweep = tiny("sweep", "fedavg-fmnist", out, "--grid", "train.lr=0.1;0.05;0.02",
                "--set", "stop.max-rounds=2");
        StopSignal stop = new StopSignal();
        CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> cli(stop, sweep));
        // stop during the second run: the table already lists the first
        await(first, v -> Files.exists(out.resolve("run-002").resolve("config.conf")), "run-002 to start");
        assertEquals(2, lines(out.resolve("sweep.csv")), "header + run-001, written before run-002 started");
        stop.request();
        Result r = first.get(120, TimeUnit.SECONDS);
        assertEquals(FedpruneCli.INTERRUPTED, r.code(), r.err());
        assertEquals(2, lines(out.resolve("sweep.csv")));
        assertFalse(Files.exists(out.resolve("run-003")), "no run starts after a stop");
        String done = Files.readString(out.resolve("run-001").resolve("summary.json"));

        Result resumed = cli(sweep);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("run-001/3 [train.lr=0.1] already finished, skipped"), resumed.out());
        assertFalse(resumed.out().contains("run-002/3 [train.lr=0.05] already finished"), resumed.out());
        assertEquals(done, Files.readString(out.resolve("run-001").resolve("summary.json")), "run-001 not rerun");
        assertEquals("max-rounds", json(out.resolve("run-002").resolve("summary.json")).get("stop_reason").asText());
        List<Map<String, String>> table = csv(out.resolve("sweep.csv"));
        assertEquals(List.of("run-001", "run-002", "run-003"), table.stream().map(m -> m.get("run")).toList());
        assertTrue(Files.size(out.resolve("accuracy_vs_bytes.png")) > 1000);

        // finished, so a third call does nothing
        Result again = cli(sweep);
        assertEquals(0, again.code(), again.err());
        assertEquals(3, again.out().lines().filter(l -> l.endsWith("already finished, skipped")).count(), again.out());

        // a changed configuration is never skipped: refused before any work, --force reruns everything
        String[] changed = tiny("sweep", "fedavg-fmnist", out, "--grid", "train.lr=0.1;0.05;0.02",
                "--set", "stop.max-rounds=1");
        cli(changed).assertClean("run-001 (a finished run of a different configuration)", "--force");
        assertEquals(done, Files.readString(out.resolve("run-001").resolve("summary.json")));
        List<String> forced = new ArrayList<>(Arrays.asList(changed));
        forced.add("--force");
        Result rerun = cli(forced.toArray(String[]::new));
        assertEquals(0, rerun.code(), rerun.err());
        assertFalse(rerun.out().contains("skipped"), rerun.out());
        assertEquals(1, json(out.resolve("run-003").resolve("summary.json")).get("rounds").asLong());

        // a smaller grid in the same folder would leave run-003 beside it
        cli(tiny("sweep", "fedavg-fmnist", out, "--grid", "train.lr=0.1;0.05", "--set", "stop.max-rounds=1"))
                .assertClean("run-003 (not in this grid of 2 runs)");
    }

    @Test
    void badIdxFileIsOneLineNamingTheFile() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.writeString(data.resolve(f), "this is not an IDX file");
        }
        Path out = tmp.resolve("out");
        String[] args = {"run", "fedavg-fmnist", "--quiet", "--out", out.toString(), "--set", "data.dir=" + data,
                "--set", "stop.max-rounds=1"};
        cli(args).assertClean("fedprune: bad data: " + data.resolve("train-images-idx3-ubyte"), "expected IDX magic");
        assertFalse(Files.exists(out), "a run that could not start leaves no folder");

        Files.delete(data.resolve("t10k-labels-idx1-ubyte"));
        cli(args).assertClean("fedprune.data.dir = " + data, "t10k-labels-idx1-ubyte");

        List<String> verbose = new ArrayList<>(List.of(args));
        verbose.add("--verbose");
        Files.writeString(data.resolve("t10k-labels-idx1-ubyte"), "x");
        Result v = cli(verbose.toArray(String[]::new));
        assertEquals(2, v.code());
        assertTrue(v.err().contains("\tat io.fedprune.core.data.IdxReader"), "--verbose shows the trace:\n" + v.err());
    }

    @Test
    void unsatisfiablePartitionIsOneLineNamingTheKeys() {
        Path out = tmp.resolve("out");
        cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=1", "--set", "data.partition=\"shards(100000)\""))
                .assertClean("fedprune: invalid configuration: fedprune.data.partition = shards(100000), "
                        + "fedprune.data.clients = 4", "needs 400000 shards");
        assertFalse(Files.exists(out), "a run that could not start leaves no folder");
        Result dirichlet = cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=1",
                "--set", "data.clients=1000"));
        dirichlet.assertClean("fedprune.data.partition = dirichlet(0.5), fedprune.data.clients = 1000",
                "cannot give each of 1000 clients at least 10 samples");
        assertFalse(dirichlet.err().contains("minSamplesPerClient"), dirichlet.err());
    }

    @Test
    void launcherPreflightOnlyAnswersWhetherTheDefaultDataSetIsMissing() throws Exception {
        System.setProperty("fedprune.preflight", "data");
        try {
            Path out = tmp.resolve("out");
            // runs nothing, writes nothing, prints nothing
            Result synthetic = cli(tiny("run", "fedavg-fmnist", out, "--set", "stop.max-rounds=1"));
            assertEquals(0, synthetic.code());
            assertEquals("", synthetic.err() + synthetic.out());
            assertFalse(Files.exists(out));
            assertEquals(0, cli("list").code());
            assertEquals(0, cli("run", "fedavg-fmnist", "--set", "data.dir=" + tmp.resolve("elsewhere")).code(),
                    "a missing folder elsewhere is not for apt-get to fix");
            boolean installed = Stream.of("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
                    .allMatch(f -> Files.exists(Path.of("/usr/share/datasets/fashion-mnist", f)));
            assertEquals(installed ? 0 : FedpruneCli.DATA_NOT_INSTALLED, cli("run", "fedavg-fmnist").code());
        } finally {
            System.clearProperty("fedprune.preflight");
        }
    }
}
