package io.fedprune.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.UpdatesPerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time-to-accuracy table from hand-made histories: times, bytes, speed-ups and the "never" cells. */
class ComparisonTableTest {
    @TempDir
    Path tmp;

    /** (virtual time, accuracy) pairs; bytes grow by 1 MB up and 2 MB down per version. */
    static RunSummary run(String algorithm, Double target, int[] perClient, double... timeAcc) {
        List<RoundRecord> h = new ArrayList<>();
        for (int i = 0; i < timeAcc.length; i += 2) {
            long v = i / 2;
            h.add(new RoundRecord(v, timeAcc[i], 0, timeAcc[i + 1], 1, v * 1_000_000, v * 2_000_000, Map.of()));
        }
        return RunSummary.of(algorithm, "synthetic", 10, 1, target, h, timeAcc[timeAcc.length - 2], 1,
                h.get(h.size() - 1).bytesUp(), h.get(h.size() - 1).bytesDown(), "max-rounds", 10, 0, 0,
                perClient == null ? UpdatesPerClient.none() : UpdatesPerClient.of(perClient));
    }

    // the baseline reaches 0.80 at 200 s and never 0.85
    static final RunSummary SLOW = run("fedasync", 0.85, new int[] {2, 10, 5}, 0, 0.1, 100, 0.7, 200, 0.8, 300, 0.84);
    // 0.80 at 50 s (after a dip: the first row counts), 0.85 exactly at 100 s
    static final RunSummary FAST = run("prfl", 0.80, new int[] {4, 0, 6}, 0, 0.1, 50, 0.82, 70, 0.79, 100, 0.85);
    // never reaches either
    static final RunSummary NEVER = run("fedavg", null, null, 0, 0.1, 500, 0.6);

    static Map<String, RunSummary> runs() {
        Map<String, RunSummary> m = new LinkedHashMap<>();
        m.put("slow", SLOW);
        m.put("fast", FAST);
        m.put("never", NEVER);
        return m;
    }

    /** comparison.md as rows of heading → cell. */
    static List<Map<String, String>> markdown(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String> head = cells(lines.get(0));
        assertTrue(lines.get(1).matches("\\|(---\\|)+"), lines.get(1));
        assertEquals(head.size(), lines.get(1).split("\\|", -1).length - 2, "separator has one cell per column");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            List<String> c = cells(line);
            assertEquals(head.size(), c.size(), line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < c.size(); i++) {
                row.put(head.get(i), c.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String[] parts = line.split("\\|", -1);
        List<String> c = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            c.add(parts[i].trim());
        }
        return c;
    }

    static List<Map<String, String>> csv(Path file) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    @Test
    void oneTimeColumnPerTargetAndSpeedUpsOverTheBaseline() throws Exception {
        new ComparisonTable(runs(), List.of(0.80, 0.85), "slow").write(tmp);
        List<Map<String, String>> md = markdown(tmp.resolve("comparison.md"));
        assertEquals(List.of("slow", "fast", "never"), md.stream().map(r -> r.get("run")).toList());
        Map<String, String> slow = md.get(0);
        Map<String, String> fast = md.get(1);
        Map<String, String> never = md.get(2);
        assertEquals("200.0", slow.get("virtual s to 0.80"));
        assertEquals("—", slow.get("virtual s to 0.85"));
        assertEquals("1.00×", slow.get("× vs slow (0.80)"));
        assertEquals("50.0", fast.get("virtual s to 0.80"), "the first version at or above the target");
        assertEquals("100.0", fast.get("virtual s to 0.85"), "reaching it exactly counts");
        assertEquals("3.0", fast.get("MB to 0.80"), "1 MB up + 2 MB down at version 1");
        assertEquals("4.00×", fast.get("× vs slow (0.80)"));
        assertEquals("—", fast.get("× vs slow (0.85)"), "the baseline never reached 0.85");
        assertEquals("—", never.get("virtual s to 0.80"));
        assertEquals("—", never.get("× vs slow (0.80)"), "the run never reached 0.80");
        assertEquals("2–10", slow.get("updates/client min–max"));
        assertEquals("4–6", fast.get("updates/client min–max"), "a client without updates is not the minimum");
        assertEquals("—", never.get("updates/client min–max"));

        List<Map<String, String>> csv = csv(tmp.resolve("comparison.csv"));
        assertEquals(3, csv.size());
        assertEquals(4.0, Double.parseDouble(csv.get(1).get("speedup_vs_slow_0.80")), 1e-12);
        assertEquals("", csv.get(1).get("speedup_vs_slow_0.85"));
        assertEquals("3000000", csv.get(1).get("bytes_to_0.80"));
        assertEquals("", csv.get(2).get("virtual_s_to_0.85"));
        assertEquals("4", csv.get(1).get("updates_per_client_min"));
        assertEquals("6", csv.get(1).get("updates_per_client_max"));
        assertEquals("", csv.get(2).get("updates_per_client_max"));
    }

    @Test
    void withoutTargetsEachRunIsTimedToItsOwn() throws Exception {
        new ComparisonTable(runs(), List.of(), "fast").write(tmp);
        List<Map<String, String>> md = markdown(tmp.resolve("comparison.md"));
        assertEquals("0.85", md.get(0).get("target"));
        assertEquals("—", md.get(0).get("virtual s to target"), "slow never reached its own 0.85");
        assertEquals("0.80", md.get(1).get("target"));
        assertEquals("50.0", md.get(1).get("virtual s to target"));
        assertEquals("1.00×", md.get(1).get("× vs fast"));
        assertEquals("—", md.get(2).get("target"), "no target set");
        assertEquals("—", md.get(2).get("virtual s to target"));
        // the baseline is timed to each run's target: fast reached slow's 0.85 at 100 s, slow never did
        assertEquals("—", md.get(0).get("× vs fast"));
        assertFalse(Files.readString(tmp.resolve("comparison.md")).contains("virtual s to 0."));
    }

    @Test
    void residualDistinctBytesGetAColumnOnlyWhenSomeRunDownloadedIncrements() throws Exception {
        RunSummary prfl = TrafficSummaryRoundTripTest.summary(TrafficSummaryRoundTripTest.prflTraffic());
        Map<String, RunSummary> m = runs();
        m.put("prfl", prfl);
        new ComparisonTable(m, List.of(0.80), null).write(tmp);
        List<Map<String, String>> md = markdown(tmp.resolve("comparison.md"));
        assertEquals("0.1", md.get(3).get("MB residual distinct"), "96 668 bytes");
        assertEquals("—", md.get(0).get("MB residual distinct"), "not counted");
        List<Map<String, String>> csv = csv(tmp.resolve("comparison.csv"));
        assertEquals(0.096668, Double.parseDouble(csv.get(3).get("residual_distinct_mb")), 1e-12);
        assertEquals("", csv.get(0).get("residual_distinct_mb"), "not counted: empty, not 0");

        new ComparisonTable(runs(), List.of(0.80), null).write(tmp);
        assertFalse(Files.readString(tmp.resolve("comparison.md")).contains("residual"),
                "no run downloaded increments: the column would be all dashes");
        assertTrue(csv(tmp.resolve("comparison.csv")).get(0).containsKey("residual_distinct_mb"),
                "the csv keeps a fixed set of columns");
    }

    @Test
    void speedUpIsBaselineTimeOverRunTime() {
        ComparisonTable t = new ComparisonTable(runs(), List.of(0.8), "fast");
        assertEquals(0.25, t.speedUp("slow", 0.8), 1e-12);
        assertNull(t.speedUp("slow", 0.85), "slow never reached 0.85");
        assertNull(t.speedUp("never", 0.8));
        assertNull(new ComparisonTable(runs(), List.of(0.8), null).speedUp("slow", 0.8), "no baseline");
    }

    @Test
    void targetLabelsKeepTwoDecimals() {
        assertEquals("0.80", ComparisonTable.label(0.8));
        assertEquals("0.85", ComparisonTable.label(0.85));
        assertEquals("0.875", ComparisonTable.label(0.875));
        assertEquals("1.00", ComparisonTable.label(1.0));
    }
}
