package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.RoundOutcome;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FedAvgTest {
    static final RoundOutcome ROUND = new RoundOutcome(1, 0, 0, 0, 0, 0);

    static float[] end(FedAvg avg, ModelState global) {
        Decision d = avg.onRoundEnd(ROUND, global);
        assertTrue(d.publishes(), "a round with updates publishes");
        return d.model();
    }

    /** Obviously correct: for each coordinate, sum n_k w_k over sum n_k, all in double. */
    static double[] reference(List<ArrivedUpdate> updates) {
        int w = updates.get(0).params().length;
        double[] out = new double[w];
        double total = 0;
        for (ArrivedUpdate u : updates) {
            total += u.samples();
        }
        for (int j = 0; j < w; j++) {
            double s = 0;
            for (ArrivedUpdate u : updates) {
                s += u.samples() * (double) u.params()[j];
            }
            out[j] = s / total;
        }
        return out;
    }

    static List<ArrivedUpdate> randomUpdates(SplittableRandom rng, int clients, int w) {
        List<ArrivedUpdate> updates = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            float[] p = new float[w];
            double scale = Math.pow(10, rng.nextInt(-3, 3));
            for (int j = 0; j < w; j++) {
                p[j] = (float) (rng.nextGaussian() * scale);
            }
            updates.add(Arrivals.of(k, p, 1 + rng.nextInt(2000), 0, new ModelState(p, 0)));
        }
        return updates;
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int j = 0; j < expected.length; j++) {
            double tol = 1e-6 * Math.abs(expected[j]) + Float.MIN_NORMAL;
            if (Math.abs(expected[j] - actual[j]) > tol) {
                throw new AssertionError(what + ": coordinate " + j + " is " + actual[j] + ", expected " + expected[j]);
            }
        }
    }

    @Test
    void matchesTheReferenceWeightedAverage() {
        SplittableRandom rng = new SplittableRandom(2024);
        FedAvg avg = new FedAvg();
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + rng.nextInt(300);
            int clients = 1 + rng.nextInt(12);
            List<ArrivedUpdate> updates = randomUpdates(rng, clients, w);
            ModelState global = new ModelState(new float[w], trial);
            for (int k = 0; k < clients; k++) {
                assertTrue(!avg.onUpdate(updates.get(k), global).publishes(), "FedAvg never publishes mid-round");
                assertEquals(k + 1, avg.pending());
            }
            float[] out = end(avg, global);
            assertClose(reference(updates), out, "trial " + trial + " (" + clients + " clients, W=" + w + ")");
            assertEquals(0, avg.pending());
        }
    }

    @Test
    void oneClientGivesItsOwnModelAndEqualWeightsGiveTheMean() {
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[3], 0);
        avg.onUpdate(Arrivals.of(1, new float[] {1.5f, -2f, 1e-30f}, 17, 0, global), global);
        assertClose(new double[] {1.5, -2, 1e-30}, end(avg, global), "single client");

        avg.onUpdate(Arrivals.of(1, new float[] {1, 2, 3}, 5, 0, global), global);
        avg.onUpdate(Arrivals.of(2, new float[] {3, 6, -3}, 5, 0, global), global);
        assertClose(new double[] {2, 4, 0}, end(avg, global), "equal weights");

        // 1 sample vs 3 samples
        avg.onUpdate(Arrivals.of(1, new float[] {0, 0, 0}, 1, 0, global), global);
        avg.onUpdate(Arrivals.of(2, new float[] {4, 8, -4}, 3, 0, global), global);
        assertClose(new double[] {3, 6, -3}, end(avg, global), "weights 1:3");
    }

    @Test
    void emptyRoundGivesNoModel() {
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[] {1, 2}, 3);
        assertTrue(!avg.onRoundEnd(ROUND, global).publishes());
        assertTrue(!avg.onRoundEnd(ROUND, global).publishes());
        assertEquals(0, avg.pending());
        assertEquals("fedavg", avg.name());
    }

    @Test
    void stateResetsBetweenRounds() {
        SplittableRandom rng = new SplittableRandom(5);
        FedAvg avg = new FedAvg();
        int w = 50;
        ModelState global = new ModelState(new float[w], 0);
        List<ArrivedUpdate> round1 = randomUpdates(rng, 4, w);
        round1.forEach(u -> avg.onUpdate(u, global));
        end(avg, global);

        List<ArrivedUpdate> round2 = randomUpdates(rng, 3, w);
        round2.forEach(u -> avg.onUpdate(u, global));
        assertEquals(3, avg.pending());
        assertClose(reference(round2), end(avg, global), "second round only");

        // an empty round in between, then a model of another size
        assertTrue(!avg.onRoundEnd(ROUND, global).publishes());
        int w2 = 20;
        ModelState other = new ModelState(new float[w2], 1);
        List<ArrivedUpdate> round3 = randomUpdates(rng, 2, w2);
        round3.forEach(u -> avg.onUpdate(u, other));
        assertClose(reference(round3), end(avg, other), "after a size change");
    }

    @Test
    void doesNotModifyTheUpdates() {
        SplittableRandom rng = new SplittableRandom(6);
        List<ArrivedUpdate> updates = randomUpdates(rng, 3, 10);
        List<float[]> copies = updates.stream().map(u -> u.params().clone()).toList();
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[10], 0);
        updates.forEach(u -> avg.onUpdate(u, global));
        float[] out = end(avg, global);
        for (int k = 0; k < updates.size(); k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(copies.get(k), updates.get(k).params());
            org.junit.jupiter.api.Assertions.assertNotSame(updates.get(k).params(), out);
        }
    }
}
