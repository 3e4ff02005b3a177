package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FedAvgTest {

    /** Obviously correct: for each coordinate, sum n_k w_k over sum n_k, all in double. */
    static double[] reference(List<ClientUpdate> updates) {
        int w = updates.get(0).params().length;
        double[] out = new double[w];
        double total = 0;
        for (ClientUpdate u : updates) {
            total += u.numSamples();
        }
        for (int j = 0; j < w; j++) {
            double s = 0;
            for (ClientUpdate u : updates) {
                s += u.numSamples() * (double) u.params()[j];
            }
            out[j] = s / total;
        }
        return out;
    }

    static List<ClientUpdate> randomUpdates(SplittableRandom rng, int clients, int w) {
        List<ClientUpdate> updates = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            float[] p = new float[w];
            double scale = Math.pow(10, rng.nextInt(-3, 3));
            for (int j = 0; j < w; j++) {
                p[j] = (float) (rng.nextGaussian() * scale);
            }
            updates.add(new ClientUpdate(k, p, 1 + rng.nextInt(2000), 0));
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
            List<ClientUpdate> updates = randomUpdates(rng, clients, w);
            ModelState global = new ModelState(new float[w], trial);
            for (int k = 0; k < clients; k++) {
                assertEquals(Optional.empty(), avg.onUpdate(updates.get(k), global), "FedAvg never mixes mid-round");
                assertEquals(k + 1, avg.pending());
            }
            float[] out = avg.onRoundEnd(global).orElseThrow();
            assertClose(reference(updates), out, "trial " + trial + " (" + clients + " clients, W=" + w + ")");
            assertEquals(0, avg.pending());
        }
    }

    @Test
    void oneClientGivesItsOwnModelAndEqualWeightsGiveTheMean() {
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[3], 0);
        avg.onUpdate(new ClientUpdate(1, new float[] {1.5f, -2f, 1e-30f}, 17, 0), global);
        assertClose(new double[] {1.5, -2, 1e-30}, avg.onRoundEnd(global).orElseThrow(), "single client");

        avg.onUpdate(new ClientUpdate(1, new float[] {1, 2, 3}, 5, 0), global);
        avg.onUpdate(new ClientUpdate(2, new float[] {3, 6, -3}, 5, 0), global);
        assertClose(new double[] {2, 4, 0}, avg.onRoundEnd(global).orElseThrow(), "equal weights");

        // 1 sample vs 3 samples
        avg.onUpdate(new ClientUpdate(1, new float[] {0, 0, 0}, 1, 0), global);
        avg.onUpdate(new ClientUpdate(2, new float[] {4, 8, -4}, 3, 0), global);
        assertClose(new double[] {3, 6, -3}, avg.onRoundEnd(global).orElseThrow(), "weights 1:3");
    }

    @Test
    void emptyRoundGivesNoModel() {
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[] {1, 2}, 3);
        assertTrue(avg.onRoundEnd(global).isEmpty());
        assertTrue(avg.onRoundEnd(global).isEmpty());
        assertEquals(0, avg.pending());
        assertEquals("fedavg", avg.name());
    }

    @Test
    void stateResetsBetweenRounds() {
        SplittableRandom rng = new SplittableRandom(5);
        FedAvg avg = new FedAvg();
        int w = 50;
        ModelState global = new ModelState(new float[w], 0);
        List<ClientUpdate> round1 = randomUpdates(rng, 4, w);
        round1.forEach(u -> avg.onUpdate(u, global));
        avg.onRoundEnd(global).orElseThrow();

        List<ClientUpdate> round2 = randomUpdates(rng, 3, w);
        round2.forEach(u -> avg.onUpdate(u, global));
        assertEquals(3, avg.pending());
        assertClose(reference(round2), avg.onRoundEnd(global).orElseThrow(), "second round only");

        // an empty round in between, then a model of another size
        assertTrue(avg.onRoundEnd(global).isEmpty());
        int w2 = 20;
        ModelState other = new ModelState(new float[w2], 1);
        List<ClientUpdate> round3 = randomUpdates(rng, 2, w2);
        round3.forEach(u -> avg.onUpdate(u, other));
        assertClose(reference(round3), avg.onRoundEnd(other).orElseThrow(), "after a size change");
    }

    @Test
    void doesNotModifyTheUpdates() {
        SplittableRandom rng = new SplittableRandom(6);
        List<ClientUpdate> updates = randomUpdates(rng, 3, 10);
        List<float[]> copies = updates.stream().map(u -> u.params().clone()).toList();
        FedAvg avg = new FedAvg();
        ModelState global = new ModelState(new float[10], 0);
        updates.forEach(u -> avg.onUpdate(u, global));
        float[] out = avg.onRoundEnd(global).orElseThrow();
        for (int k = 0; k < updates.size(); k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(copies.get(k), updates.get(k).params());
            org.junit.jupiter.api.Assertions.assertNotSame(updates.get(k).params(), out);
        }
    }
}
