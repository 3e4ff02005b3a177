package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The step/sample plan against a literal simulation of the training loop. */
class TrainTaskTest {
    private static final Dataset DATA = SyntheticDataset.gaussianClusters(64, 2, 1, 2, 2, 0.1, 1);

    /** {steps, samples} by walking the batches one by one, as a trainer would. */
    static long[] simulate(int n, int batch, int epochs, int maxSteps) {
        long steps = 0;
        long samples = 0;
        outer:
        for (int e = 0; epochs < 1 || e < epochs; e++) {
            for (int from = 0; from < n; from += batch) {
                if (maxSteps > 0 && steps == maxSteps) {
                    break outer;
                }
                steps++;
                samples += Math.min(batch, n - from);
            }
        }
        return new long[] {steps, samples};
    }

    static TrainTask task(int n, int epochs, int maxSteps, int batch) {
        return new TrainTask(new float[1], DATA, IntStream.range(0, n).toArray(), epochs, maxSteps, batch, 0);
    }

    @Test
    void planMatchesSimulationForRandomCombinations() {
        SplittableRandom rng = new SplittableRandom(42);
        int checked = 0;
        for (int i = 0; i < 5000; i++) {
            int n = 1 + rng.nextInt(64);
            int batch = 1 + rng.nextInt(80);
            int epochs = rng.nextInt(4);
            int maxSteps = rng.nextInt(3) == 0 ? 0 : rng.nextInt(25);
            if (epochs < 1 && maxSteps < 1) {
                continue;
            }
            TrainTask t = task(n, epochs, maxSteps, batch);
            long[] ref = simulate(n, batch, epochs, maxSteps);
            String what = "n=" + n + " batch=" + batch + " epochs=" + epochs + " maxSteps=" + maxSteps;
            assertEquals(ref[0], t.plannedSteps(), "steps for " + what);
            assertEquals(ref[1], t.plannedSamples(), "samples for " + what);
            assertEquals((n + batch - 1) / batch, t.batchesPerEpoch(), what);
            checked++;
        }
        assertTrue(checked > 3000);
    }

    @Test
    void handPickedPlans() {
        // 50 samples in batches of 16: 16, 16, 16, 2
        assertEquals(4, task(50, 1, 0, 16).batchesPerEpoch());
        assertEquals(8, task(50, 2, 0, 16).plannedSteps());
        assertEquals(100, task(50, 2, 0, 16).plannedSamples());
        // maxSteps stops in the second epoch: 50 + 16 + 16
        assertEquals(6, task(50, 3, 6, 16).plannedSteps());
        assertEquals(82, task(50, 3, 6, 16).plannedSamples());
        // maxSteps larger than the epochs allow: epochs win
        assertEquals(4, task(50, 1, 100, 16).plannedSteps());
        assertEquals(50, task(50, 1, 100, 16).plannedSamples());
        // no epoch bound: maxSteps alone, over several passes (4 + 4 + 2, 4 + 4 + 2, 4)
        assertEquals(7, task(10, 0, 7, 4).plannedSteps());
        assertEquals(24, task(10, 0, 7, 4).plannedSamples());
        // batch larger than the shard
        assertEquals(2, task(7, 2, 0, 100).plannedSteps());
        assertEquals(14, task(7, 2, 0, 100).plannedSamples());
    }

    @Test
    void invalidTasksAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> task(0, 1, 0, 4));
        assertTrue(e.getMessage().contains("at least one sample"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> task(5, 0, 0, 4));
        assertTrue(e.getMessage().contains("epochs=0") && e.getMessage().contains("maxSteps=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> task(5, 1, 0, 0));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    }

    @Test
    void localTrainingConfigIsBounded() {
        new LocalTrainingConfig(LocalTrainingConfig.MAX_EPOCHS, LocalTrainingConfig.MAX_STEPS,
                LocalTrainingConfig.MAX_BATCH_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LocalTrainingConfig(1, 0, LocalTrainingConfig.MAX_BATCH_SIZE + 1));
        assertTrue(e.getMessage().startsWith("batch size must be in [1, 1000000], got 1000001"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LocalTrainingConfig(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalTrainingConfig(LocalTrainingConfig.MAX_EPOCHS + 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LocalTrainingConfig(1, -1, 1));
    }

    @Test
    void optimizerSpecValidation() {
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.sgd(0));
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.sgd(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.adam(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.1, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerSpec(null, 0.1, 0));
        assertEquals(0.05, OptimizerSpec.adam(0.05).toUpdater().getLearningRate(0, 0), 1e-12);
        assertEquals(0.1, new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.1, 0.9).toUpdater().getLearningRate(0, 0), 1e-12);
    }
}
