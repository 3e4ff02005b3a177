package io.fedprune.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static RoundRecord rec(long version, double time, double acc, long up, long down) {
        return new RoundRecord(version, time, time / 10, acc, 1 - acc, up, down, Map.of());
    }

    private static RunSummary summarize(Double target, List<RoundRecord> history) {
        return RunSummary.of("fedavg", "synthetic", 10, 7L, target, history, 123.0, 4.5, 1000, 2000, "rounds", 9, 1, 0);
    }

    @Test
    void handPickedHistory() {
        List<RoundRecord> h = List.of(
                rec(1, 10, 0.30, 100, 200),
                rec(2, 20, 0.55, 200, 400),
                rec(3, 30, 0.72, 300, 600),  // first at or above 0.7
                rec(4, 40, 0.69, 400, 800),
                rec(5, 50, 0.80, 500, 1000), // best
                rec(6, 60, 0.75, 600, 1200)); // final
        RunSummary s = summarize(0.7, h);
        assertEquals(0.80, s.bestAccuracy());
        assertEquals(0.75, s.finalAccuracy());
        assertEquals(30.0, s.timeToTargetS());
        assertEquals(900L, s.bytesToTarget());
        assertEquals(0.7, s.targetAccuracy());
        assertEquals(6, s.rounds());
        assertEquals("fedavg", s.algorithm());
        assertEquals("synthetic", s.dataset());
        assertEquals(10, s.clients());
        assertEquals(7L, s.seed());
        assertEquals(123.0, s.virtualTimeS());
        assertEquals(4.5, s.wallTimeS());
        assertEquals(1000, s.bytesUp());
        assertEquals(2000, s.bytesDown());
        assertEquals("rounds", s.stopReason());
        assertEquals(h, s.history());

        // reaching the target exactly counts
        RunSummary exact = summarize(0.55, h);
        assertEquals(20.0, exact.timeToTargetS());
        assertEquals(600L, exact.bytesToTarget());
    }

    @Test
    void targetNeverReachedOrNotSetGivesNulls() {
        List<RoundRecord> h = List.of(rec(1, 1, 0.2, 1, 1), rec(2, 2, 0.4, 2, 2));
        RunSummary never = summarize(0.9, h);
        assertNull(never.timeToTargetS());
        assertNull(never.bytesToTarget());
        assertEquals(0.9, never.targetAccuracy());
        assertEquals(0.4, never.bestAccuracy());

        RunSummary none = summarize(null, h);
        assertNull(none.targetAccuracy());
        assertNull(none.timeToTargetS());
        assertNull(none.bytesToTarget());
    }

    @Test
    void emptyHistory() {
        RunSummary s = summarize(0.5, List.of());
        assertEquals(0, s.rounds());
        assertTrue(Double.isNaN(s.bestAccuracy()));
        assertTrue(Double.isNaN(s.finalAccuracy()));
        assertNull(s.timeToTargetS());
        assertTrue(s.history().isEmpty());
    }

    @Test
    void randomHistoriesAgainstAReference() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rng.nextInt(40);
            List<RoundRecord> h = new ArrayList<>();
            double time = 0;
            long up = 0;
            long down = 0;
            for (int i = 0; i < n; i++) {
                time += rng.nextDouble() * 5;
                up += rng.nextInt(1000);
                down += rng.nextInt(1000);
                h.add(rec(i + 1, time, Math.round(rng.nextDouble() * 100) / 100.0, up, down));
            }
            double target = Math.round(rng.nextDouble() * 100) / 100.0;
            // reference: the first index at or above the target, the maximum by a plain scan
            int first = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                best = Math.max(best, h.get(i).testAccuracy());
                if (first < 0 && h.get(i).testAccuracy() >= target) {
                    first = i;
                }
            }
            RunSummary s = summarize(target, h);
            assertEquals(best, s.bestAccuracy());
            assertEquals(h.get(n - 1).testAccuracy(), s.finalAccuracy());
            assertEquals(n, s.rounds());
            if (first < 0) {
                assertNull(s.timeToTargetS());
                assertNull(s.bytesToTarget());
            } else {
                assertEquals(h.get(first).virtualTimeS(), s.timeToTargetS());
                assertEquals(h.get(first).bytesUp() + h.get(first).bytesDown(), s.bytesToTarget());
            }
        }
    }

    @Test
    void roundRecordCopiesItsExtraColumnsInOrder() {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("participants", 5.0);
        extra.put("rejected", 1.0);
        RoundRecord r = new RoundRecord(1, 1, 1, 0.5, 0.5, 0, 0, extra);
        extra.put("later", 2.0);
        assertEquals(List.of("participants", "rejected"), List.copyOf(r.extra().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> r.extra().put("x", 1.0));
        // the summary keeps its own copy of the history
        List<RoundRecord> h = new ArrayList<>(List.of(r));
        RunSummary s = summarize(null, h);
        h.add(r);
        assertEquals(1, s.history().size());
    }
}
