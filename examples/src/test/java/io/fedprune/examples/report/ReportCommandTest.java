package io.fedprune.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import io.fedprune.examples.ui.HeadlessChromium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fedprune report} on real finished runs: a comparison folder (two runs) and a run folder
 * of its own. The file holds every run in its table and its chart data, the keys that differ,
 * Chart.js itself (no network), and the time to accuracy read from rounds.csv.
 */
class ReportCommandTest {
    @TempDir
    static Path runs;

    record Result(int code, String err) {
    }

    static Result cli(String... args) {
        StringWriter err = new StringWriter();
        int code = FedpruneCli.execute(new PrintWriter(err, true), new StopSignal(), args);
        return new Result(code, err.toString());
    }

    static final List<String> TINY = List.of("--quiet", "--set", "data.dataset=synthetic", "--set", "data.clients=4",
            "--set", "train.workers=1", "--set", "eval.every=1", "--set", "stop.max-rounds=6");

    /** compare/ holds fedavg-fmnist and fedasync-fmnist; slow-lr/ is one more FedAvg run with another learning rate. */
    @BeforeAll
    static void finishedRuns() {
        Result c = cli(args("compare", "fedavg-fmnist", "fedasync-fmnist", "--out", runs.resolve("compare").toString()));
        assertEquals(0, c.code(), c.err());
        Result r = cli(args("run", "fedavg-fmnist", "--out", runs.resolve("slow-lr").toString(), "--set", "train.lr=0.01"));
        assertEquals(0, r.code(), r.err());
    }

    static String[] args(String... head) {
        List<String> a = new java.util.ArrayList<>(List.of(head));
        a.addAll(TINY);
        return a.toArray(String[]::new);
    }

    static Path report(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("report", runs.resolve("compare").toString(),
                runs.resolve("slow-lr").toString(), "--out", out.toString()));
        a.addAll(List.of(more));
        Result r = cli(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    @Test
    void theReportHoldsEveryRunItsChartsAndTheKeysThatDiffer(@TempDir Path tmp) throws Exception {
        String html = Files.readString(report(tmp.resolve("r.html"), "--targets", "0.5"));
        for (String run : List.of("fedavg-fmnist", "fedasync-fmnist", "slow-lr")) {
            assertTrue(html.contains("<tr data-run=\"" + run + "\">"), run + " in the table");
            assertTrue(html.contains("{\"label\":\"" + run + "\",\"points\":[[0.0,"), run + " in the chart data");
        }
        assertTrue(html.contains("<td class=\"text\">train.lr</td><td class=\"text\">0.05</td>"
                + "<td class=\"text\">0.05</td><td class=\"text\">0.01</td>"), "the learning rate differs");
        assertTrue(html.contains("<td class=\"text\">algorithm</td><td class=\"text\">fedasync</td>"
                + "<td class=\"text\">fedavg</td><td class=\"text\">fedavg</td>"), "runs of a folder in name order");
        assertFalse(html.contains("<td class=\"text\">data.clients</td>"), "a key every run shares is not a difference");
        assertTrue(html.contains("<th>virtual s to 0.50</th>"));
        assertTrue(html.contains("Chart.js v4."), "Chart.js is inlined");
        assertFalse(html.matches("(?s).*<script[^>]+src=.*"), "no script is fetched from anywhere");

        // slow-lr's time to 0.50 is that of its first version at or above it in rounds.csv
        List<String> rows = Files.readAllLines(runs.resolve("slow-lr/rounds.csv"));
        String expected = "—";
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (Double.parseDouble(f[3]) >= 0.5) {
                expected = String.format(java.util.Locale.ROOT, "%.1f", Double.parseDouble(f[1]));
                break;
            }
        }
        Matcher m = Pattern.compile("<tr data-run=\"slow-lr\">(?:<td[^>]*>[^<]*</td>){8}<td>([^<]*)</td>").matcher(html);
        assertTrue(m.find());
        assertEquals(expected, m.group(1));
    }

    /** With {@code -Dfedprune.screenshots=DIR} the report is saved as DIR/report.png. */
    @Test
    void aBrowserOpensTheReportOfflineAndFindsEveryRun(@TempDir Path tmp) throws Exception {
        Path file = report(tmp.resolve("report.html"));
        try (HeadlessChromium browser = new HeadlessChromium(1280, 1100)) {
            browser.open(file.toUri().toString());
            assertEquals("fedasync-fmnist,fedavg-fmnist,slow-lr", browser.eval(
                    "[...document.querySelectorAll('#runs tbody tr')].map(r => r.dataset.run).join()"));
            for (String chart : new String[] {"by-time", "by-bytes"}) {
                assertEquals("fedasync-fmnist,fedavg-fmnist,slow-lr", browser.eval("Chart.getChart('" + chart
                        + "').data.datasets.map(d => d.label).join()"), chart);
                assertEquals("7,7,7", browser.eval("Chart.getChart('" + chart
                        + "').data.datasets.map(d => d.data.length).join()"), "versions 0..6 of each run");
            }
            String shots = System.getProperty("fedprune.screenshots");
            if (shots != null) {
                browser.screenshot(Path.of(shots).resolve("report.png"));
            }
        }
    }

    @Test
    void aFolderWithoutRunsIsOneLine(@TempDir Path tmp) throws Exception {
        Result none = cli("report", tmp.toString(), "--out", tmp.resolve("r.html").toString());
        assertEquals(2, none.code());
        assertEquals("fedprune: report: " + tmp + " is not a run folder (no summary.json) and holds none; expected "
                + "the --out folder of fedprune run, compare or sweep", none.err().strip());
        Result missing = cli("report", tmp.resolve("nope").toString());
        assertEquals("fedprune: report: " + tmp.resolve("nope") + ": no such folder", missing.err().strip());
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("summary.json"), "{\"algorithm\": 1");
        Result bad = cli("report", broken.toString(), "--out", tmp.resolve("r.html").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("fedprune: report: " + broken + ": not a finished run this version of "
                + "fedprune reads ("), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertFalse(Files.exists(tmp.resolve("r.html")), "no report written");
        Result target = cli("report", broken.toString(), "--targets", "1.5");
        assertEquals("fedprune: --targets: 1.5 is not an accuracy; expected values in (0, 1]", target.err().strip());
    }
}
