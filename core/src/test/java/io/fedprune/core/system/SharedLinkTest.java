package io.fedprune.core.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.system.SharedLink.Completed;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SharedLinkTest {

    private static final double UNCAPPED = 1e12;

    @Test
    void twoEqualConcurrentTransfersEachGetHalfTheRate() {
        SharedLink solo = new SharedLink(1_000);
        solo.start(1, 5_000, UNCAPPED, 0);
        assertEquals(5_000_000, solo.nextCompletionMicros()); // 5000 bytes at 1000 B/s

        SharedLink link = new SharedLink(1_000);
        link.start(1, 5_000, UNCAPPED, 0);
        link.start(2, 5_000, UNCAPPED, 0);
        assertEquals(500, link.rateOf(1), 1e-9);
        assertEquals(500, link.rateOf(2), 1e-9);
        assertEquals(10_000_000, link.nextCompletionMicros());
        assertEquals(List.of(), link.advanceTo(9_999_999));
        assertEquals(List.of(new Completed(1, 10_000_000), new Completed(2, 10_000_000)),
                link.advanceTo(10_000_000));
        assertEquals(0, link.active());
        assertEquals(Long.MAX_VALUE, link.nextCompletionMicros());
    }

    @Test
    void aCappedTransferLeavesItsUnusedShareToTheOther() {
        SharedLink link = new SharedLink(1_000);
        link.start(1, 1_000, 200, 0); // its client can take only 200 B/s
        link.start(2, 4_000, UNCAPPED, 0);
        assertEquals(200, link.rateOf(1), 1e-9);
        assertEquals(800, link.rateOf(2), 1e-9);
        // both end at 5 s: 1000 / 200 and 4000 / 800
        assertEquals(List.of(new Completed(1, 5_000_000), new Completed(2, 5_000_000)), link.advanceTo(6_000_000));
    }

    @Test
    void aTransferStartingMidwayChangesTheOthersFinishExactly() {
        SharedLink link = new SharedLink(10);
        link.start(1, 100, UNCAPPED, 0);
        assertEquals(10_000_000, link.nextCompletionMicros()); // alone: 10 s
        link.start(2, 100, UNCAPPED, 5_000_000); // 50 bytes left, now at 5 B/s: 10 s more
        assertEquals(15_000_000, link.nextCompletionMicros());
        assertEquals(List.of(new Completed(1, 15_000_000)), link.advanceTo(15_000_000));
        // the second moved 50 bytes in those 10 s and has the whole link for its last 50
        assertEquals(10, link.rateOf(2), 1e-9);
        assertEquals(List.of(new Completed(2, 20_000_000)), link.advanceTo(30_000_000));
    }

    @Test
    void theEarlierEndFreesCapacityForTheRest() {
        SharedLink link = new SharedLink(300);
        link.start(1, 300, UNCAPPED, 0);
        link.start(2, 600, UNCAPPED, 0);
        link.start(3, 900, UNCAPPED, 0);
        // 100 B/s each: 1 ends at 3 s; then 150 each: 2 (300 left) at 5 s; then 3 (300 - ... ) alone
        List<Completed> done = link.advanceTo(100_000_000);
        assertEquals(List.of(new Completed(1, 3_000_000), new Completed(2, 5_000_000), new Completed(3, 6_000_000)),
                done);
    }

    @Test
    void droppingATransferSpeedsUpTheOthers() {
        SharedLink link = new SharedLink(100);
        link.start(1, 1_000, UNCAPPED, 0);
        link.start(2, 1_000, UNCAPPED, 0);
        assertTrue(link.drop(2, 10_000_000)); // 500 bytes moved each; 1 now alone at 100 B/s
        assertEquals(15_000_000, link.nextCompletionMicros());
        assertTrue(!link.drop(2, 10_000_000));
    }

    @Test
    void aCapacityRedrawAppliesFromThenOn() {
        SharedLink link = new SharedLink(100);
        link.start(1, 1_000, UNCAPPED, 0);
        link.setCapacity(50, 5_000_000); // 500 left at 50 B/s
        assertEquals(15_000_000, link.nextCompletionMicros());
    }

    @Test
    void anEmptyTransferEndsWhereItStarts() {
        SharedLink link = new SharedLink(100);
        assertEquals(List.of(new Completed(7, 3)), link.start(7, 0, 1, 3));
    }

    @Test
    void matchesAnIndependentFluidSimulationAndIsDeterministic() {
        for (long seed = 0; seed < 20; seed++) {
            List<Completed> a = randomRun(seed);
            assertEquals(a, randomRun(seed));
            assertEquals(referenceRun(seed), a.stream().map(Completed::id).toList());
        }
    }

    /** Random starts, caps and sizes; completions in order, collected until all are done. */
    private static List<Completed> randomRun(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SharedLink link = new SharedLink(1_000);
        List<Completed> done = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 8; i++) {
            now += rng.nextInt(3_000_000);
            done.addAll(link.start(i, 100 + rng.nextInt(5_000), 50 + rng.nextInt(2_000), now));
        }
        done.addAll(link.advanceTo(Long.MAX_VALUE / 2));
        for (int i = 1; i < done.size(); i++) {
            assertTrue(done.get(i).atMicros() >= done.get(i - 1).atMicros());
        }
        return done;
    }

    /** The same run stepped in 1 ms slices with shares recomputed by brute force: the finishing order. */
    private static List<Long> referenceRun(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] startAt = new long[8];
        double[] left = new double[8];
        double[] cap = new double[8];
        long now = 0;
        for (int i = 0; i < 8; i++) {
            now += rng.nextInt(3_000_000);
            startAt[i] = now;
            left[i] = 100 + rng.nextInt(5_000);
            cap[i] = 50 + rng.nextInt(2_000);
        }
        List<Long> order = new ArrayList<>();
        boolean[] finished = new boolean[8];
        for (long t = 0; order.size() < 8; t += 1_000) {
            List<Integer> act = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (!finished[i] && startAt[i] <= t) {
                    act.add(i);
                }
            }
            double[] rate = new double[8];
            double capacity = 1_000;
            List<Integer> open = new ArrayList<>(act);
            while (!open.isEmpty()) { // repeatedly fix every transfer whose cap is below the fair share
                double fair = capacity / open.size();
                List<Integer> capped = open.stream().filter(i -> cap[i] <= fair).toList();
                if (capped.isEmpty()) {
                    open.forEach(i -> rate[i] = fair);
                    break;
                }
                for (int i : capped) {
                    rate[i] = cap[i];
                    capacity -= cap[i];
                }
                open.removeAll(capped);
            }
            List<Integer> endingNow = new ArrayList<>();
            for (int i : act) {
                left[i] -= rate[i] * 1e-3;
                if (left[i] <= 1e-9) {
                    endingNow.add(i);
                }
            }
            for (int i : endingNow) {
                finished[i] = true;
                order.add((long) i);
            }
        }
        return order;
    }

    @Test
    void badInputIsRefusedWithClearMessages() {
        SharedLink link = new SharedLink(100);
        assertEquals("transfer 1: bytes must be >= 0, got -5",
                assertThrows(IllegalArgumentException.class, () -> link.start(1, -5, 10, 0)).getMessage());
        assertEquals("transfer 1: client rate cap must be a positive, finite number of bytes per second, got NaN",
                assertThrows(IllegalArgumentException.class, () -> link.start(1, 5, Double.NaN, 0)).getMessage());
        assertEquals("capacity must be a positive, finite number of bytes per second, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new SharedLink(0)).getMessage());
        link.start(1, 5, 10, 10);
        assertEquals("transfer 1 is already under way",
                assertThrows(IllegalArgumentException.class, () -> link.start(1, 5, 10, 10)).getMessage());
        assertEquals("time must not go backwards: at 10 us, asked 9 us",
                assertThrows(IllegalArgumentException.class, () -> link.advanceTo(9)).getMessage());
    }
}
