package io.fedprune.examples.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ui} from the command line: it never changes a run, and a bad port is one line, exit 2, before any work. */
class LivePageCliTest {
    @TempDir
    Path tmp;

    record Result(int code, String err) {
    }

    static Result cli(String... args) {
        StringWriter err = new StringWriter();
        int code = FedpruneCli.execute(new PrintWriter(err, true), new StopSignal(), args);
        return new Result(code, err.toString());
    }

    static String[] tiny(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "prfl-fmnist", "--quiet", "--out", out.toString(),
                "--set", "data.dataset=synthetic", "--set", "data.clients=10", "--set", "train.workers=1",
                "--set", "data.validation-samples=100", "--set", "stop.max-rounds=12", "--set", "stop.max-virtual-time-s=0", "--set", "eval.every=1"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static List<Map<String, String>> rowsWithoutWallTime(Path csv) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
            List<Map<String, String>> rows = it.readAll();
            rows.forEach(r -> r.remove("wall_time_s"));
            return rows;
        }
    }

    @Test
    void aRunWithTheLivePageIsTheSameRun() throws Exception {
        Result plain = cli(tiny(tmp.resolve("plain")));
        assertEquals(0, plain.code(), plain.err());
        Result live = cli(tiny(tmp.resolve("live"), "--ui", "0"));
        assertEquals(0, live.code(), live.err());
        List<Map<String, String>> a = rowsWithoutWallTime(tmp.resolve("plain/rounds.csv"));
        List<Map<String, String>> b = rowsWithoutWallTime(tmp.resolve("live/rounds.csv"));
        assertEquals(13, a.size(), "versions 0..12");
        assertEquals(a, b, "rounds.csv apart from wall time");
        assertTrue(a.stream().anyMatch(r -> Double.parseDouble(r.get("min_density")) < 1), "PR-FL sent sub-models");
    }

    @Test
    void aPortInUseIsOneLineNamingItAndNoWorkIsDone() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path out = tmp.resolve("never");
            Result r = cli(tiny(out, "--ui", "" + taken.getLocalPort()));
            assertEquals(2, r.code(), r.err());
            assertEquals("fedprune: --ui: cannot serve the live page on 127.0.0.1:" + taken.getLocalPort()
                    + " (port in use); choose another port with --ui PORT (0: any free port)", r.err().strip());
            assertFalse(Files.exists(out), "the output folder is not even created");
        }
        Result range = cli(tiny(tmp.resolve("x"), "--ui", "70000"));
        assertEquals(2, range.code());
        assertEquals("fedprune: --ui: port 70000 is out of range; expected 0 (any free port) to 65535",
                range.err().strip());
    }
}
