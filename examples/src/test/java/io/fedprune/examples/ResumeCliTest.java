package io.fedprune.examples;

import static io.fedprune.examples.OutputsTest.await;
import static io.fedprune.examples.OutputsTest.cli;
import static io.fedprune.examples.OutputsTest.json;
import static io.fedprune.examples.OutputsTest.lines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.examples.OutputsTest.Result;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fedprune run --journal, stopped (Ctrl-C) mid-run, then fedprune resume: the final model and
 * rounds.csv (apart from wall_time_s) are those of the uninterrupted run, and the journals agree.
 * The SIGKILL version of this is scripts/resume-drill.sh.
 */
class ResumeCliTest {
    @TempDir
    Path tmp;

    static final String[] RUN = {"--quiet", "--journal", "--set", "data.dataset=synthetic", "--set", "data.clients=4",
        "--set", "algorithm=fedasync", "--set", "stop.max-rounds=24", "--set", "eval.every=2"};

    static String[] args(String command, Path out) {
        List<String> a = new ArrayList<>(List.of(command, "fedasync-fmnist", "--out", out.toString()));
        a.addAll(List.of(RUN));
        return a.toArray(String[]::new);
    }

    static List<String> withoutWallTime(Path rounds) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String row : Files.readAllLines(rounds)) {
            String[] cells = row.split(",");
            cells[2] = "";
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    @Test
    void anInterruptedJournaledRunResumesToTheUninterruptedResult() throws Exception {
        Path whole = tmp.resolve("whole");
        Result reference = cli(args("run", whole));
        assertEquals(0, reference.code(), reference.err());
        assertTrue(reference.out().contains("0 inputs at start"), reference.out());

        Path stopped = tmp.resolve("stopped");
        StopSignal stop = new StopSignal();
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> cli(stop, args("run", stopped)));
        await(run, v -> lines(stopped.resolve("rounds.csv")) >= 3, "rows in rounds.csv");
        stop.request(); // what Ctrl-C does
        assertEquals(FedpruneCli.INTERRUPTED, run.get(120, TimeUnit.SECONDS).code());
        assertEquals("interrupted", json(stopped.resolve("summary.json")).get("stop_reason").asText());

        Result resumed = cli("resume", stopped.toString(), "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().matches("(?s).*journal in .* \\(H2\\): [1-9][0-9]* inputs at start \\([1-9][0-9]* updates "
                + "taken from it instead of training.*"), resumed.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve("final-model.bin")),
                Files.readAllBytes(stopped.resolve("final-model.bin")), "the final model, bit for bit");
        assertEquals(withoutWallTime(whole.resolve("rounds.csv")), withoutWallTime(stopped.resolve("rounds.csv")));

        Result compared = cli("journal", stopped.toString(), "--against", whole.toString());
        assertEquals(0, compared.code(), compared.out() + compared.err());
        assertTrue(compared.out().contains("identical, input for input; updates lost 0, twice 0"), compared.out());

        Result again = cli("resume", stopped.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("holds a finished run (stop reason max-rounds); nothing to resume"), again.err());
        Result over = cli(args("run", stopped));
        assertEquals(2, over.code());
        assertTrue(over.err().contains("holds the journal of an earlier run; 'fedprune resume " + stopped
                + "' finishes that run, or add --force to start over"), over.err());
    }

    @Test
    void notJournaledOrNotCoveredIsOneLine() {
        Path plain = tmp.resolve("plain");
        assertEquals(0, cli("run", "fedasync-fmnist", "--quiet", "--out", plain.toString(), "--set",
                "data.dataset=synthetic", "--set", "data.clients=2", "--set", "stop.max-rounds=1").code());
        Result r = cli("resume", plain.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("its run was not journaled"), r.err());

        Result real = cli("run", "fedasync-fmnist", "--journal", "--out", tmp.resolve("real").toString(), "--set",
                "data.dataset=synthetic", "--set", "clock.mode=real");
        assertEquals(2, real.code());
        assertTrue(real.err().contains("fedprune.journal.store = h2: journaled runs are in virtual time only"), real.err());
        assertTrue(!Files.exists(tmp.resolve("real")), "refused before any work");
    }
}
