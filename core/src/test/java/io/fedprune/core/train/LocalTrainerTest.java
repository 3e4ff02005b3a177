package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LocalTrainerTest {
    /** 4 classes of 1x4x4 Gaussian clusters: an MLP of 4204 parameters, cheap to train. */
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(400, 4, 1, 4, 4, 0.1, 11);
    static final int[] TRAIN = IntStream.range(0, 300).toArray();
    static final Dataset TEST = DATA.subset(IntStream.range(300, 400).toArray(), "test");

    private static LocalTrainer sgd;
    private static LocalTrainer adam;
    private static float[] initial;

    @BeforeAll
    static void build() {
        sgd = new LocalTrainer(SPEC, OptimizerSpec.sgd(0.1), 1);
        adam = new LocalTrainer(SPEC, OptimizerSpec.adam(0.01), 2);
        initial = sgd.parameters();
    }

    @AfterAll
    static void close() {
        if (sgd != null) {
            sgd.close();
        }
        if (adam != null) {
            adam.close();
        }
    }

    static TrainTask task(float[] params, int[] indices, int epochs, int maxSteps, int batch, long seed) {
        return new TrainTask(params, DATA, indices, epochs, maxSteps, batch, seed);
    }

    @Test
    void trainingLowersLossAndRaisesAccuracy() {
        assertEquals(16 * 200 + 200 + 200 * 4 + 4, sgd.parameterCount());
        EvalResult before = sgd.evaluate(initial, TEST, 32);
        TrainResult r = sgd.train(task(initial, TRAIN, 5, 0, 20, 3));
        EvalResult after = sgd.evaluate(r.params(), TEST, 32);
        assertEquals(100, after.samples());
        assertTrue(after.loss() < 0.5 * before.loss(), "loss " + before.loss() + " -> " + after.loss());
        assertTrue(after.accuracy() >= 0.9, "accuracy after training " + after.accuracy());
        assertTrue(after.accuracy() > before.accuracy() + 0.3, "accuracy " + before.accuracy() + " -> " + after.accuracy());
        assertTrue(Double.isFinite(r.meanLoss()) && r.meanLoss() > 0, "mean loss " + r.meanLoss());
        assertEquals(5 * 15, r.steps());
        assertEquals(5 * 300, r.samples());
        assertFalse(Arrays.equals(initial, r.params()));
    }

    @Test
    void cnnTrainsFromFlatInput() {
        ModelSpec spec = new ModelSpec(ModelArchitecture.VGG_SMALL, 1, 8, 8, 3);
        Dataset data = SyntheticDataset.gaussianClusters(240, 3, 1, 8, 8, 0.1, 5);
        Dataset test = data.subset(IntStream.range(180, 240).toArray(), "test");
        try (LocalTrainer t = new LocalTrainer(spec, OptimizerSpec.adam(0.005), 4)) {
            float[] start = t.parameters();
            EvalResult before = t.evaluate(start, test, 64);
            TrainResult r = t.train(new TrainTask(start, data, IntStream.range(0, 180).toArray(), 3, 0, 20, 1));
            EvalResult after = t.evaluate(r.params(), test, 64);
            assertEquals(27, r.steps());
            assertTrue(after.loss() < before.loss(), "loss " + before.loss() + " -> " + after.loss());
            assertTrue(after.accuracy() >= 0.8, "accuracy after training " + after.accuracy());
        }
    }

    @Test
    void sameSeedIsBitwiseIdenticalAndOtherSeedDiffers() {
        TrainTask t = task(initial, TRAIN, 1, 0, 32, 17);
        float[] first = sgd.train(t).params();
        // something else in between, leaving other parameters and state in the network
        sgd.train(task(first, TRAIN, 1, 0, 7, 99));
        float[] second = sgd.train(t).params();
        assertArrayEquals(first, second);
        float[] otherSeed = sgd.train(task(initial, TRAIN, 1, 0, 32, 18)).params();
        assertFalse(Arrays.equals(first, otherSeed), "another shuffling seed must give other parameters");
    }

    @Test
    void adamStateIsResetBetweenTasks() {
        TrainTask t = task(initial, TRAIN, 2, 0, 25, 5);
        TrainResult first = adam.train(t);
        TrainResult second = adam.train(t);
        // Adam's moments and its bias-correction step count would differ on the second run without a reset
        assertArrayEquals(first.params(), second.params());
        assertEquals(first.meanLoss(), second.meanLoss());
        float[] bySgd = sgd.train(t).params();
        assertFalse(Arrays.equals(first.params(), bySgd), "Adam and SGD must not coincide");
    }

    @Test
    void resultCountsMatchThePlan() {
        int[][] combos = {
                // n, epochs, maxSteps, batch
                {50, 2, 0, 16},  // short last batch of 2
                {50, 3, 6, 16},  // stops inside the second epoch
                {10, 0, 7, 4},   // steps only: 2.33 passes
                {7, 2, 0, 100},  // batch larger than the shard
                {13, 1, 1, 5},
        };
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] c : combos) {
            int[] indices = rng.ints(0, DATA.size()).distinct().limit(c[0]).toArray();
            TrainTask t = task(initial, indices, c[1], c[2], c[3], 1);
            long[] ref = TrainTaskTest.simulate(c[0], c[3], c[1], c[2]);
            TrainResult r = sgd.train(t);
            String what = Arrays.toString(c);
            assertEquals(ref[0], t.plannedSteps(), what);
            assertEquals(ref[1], t.plannedSamples(), what);
            assertEquals(t.plannedSteps(), r.steps(), what);
            assertEquals(t.plannedSamples(), r.samples(), what);
            assertEquals(sgd.parameterCount(), r.params().length);
        }
    }

    @Test
    void wrongParameterCountIsRejectedWithAClearMessage() {
        float[] shortParams = new float[initial.length - 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.train(task(shortParams, TRAIN, 1, 0, 32, 1)));
        assertTrue(e.getMessage().contains(String.valueOf(shortParams.length))
                && e.getMessage().contains(String.valueOf(initial.length)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sgd.evaluate(new float[3], TEST, 10));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains(String.valueOf(initial.length)), e.getMessage());
    }

    @Test
    void nonPositiveEvaluationBatchIsRejected() {
        for (int bad : new int[] {0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.evaluate(initial, TEST, bad));
            assertTrue(e.getMessage().contains("batchSize") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void datasetShapeMismatchIsRejectedWithAClearMessage() {
        Dataset wrongShape = SyntheticDataset.gaussianClusters(20, 4, 1, 5, 5, 0.1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.train(new TrainTask(initial, wrongShape, new int[] {0, 1, 2}, 1, 0, 2, 1)));
        assertTrue(e.getMessage().contains("25") && e.getMessage().contains("16"), e.getMessage());
        assertTrue(e.getMessage().contains(wrongShape.name()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sgd.evaluate(initial, wrongShape, 10));
        assertTrue(e.getMessage().contains("25"), e.getMessage());

        Dataset wrongClasses = SyntheticDataset.gaussianClusters(20, 3, 1, 4, 4, 0.1, 1);
        e = assertThrows(IllegalArgumentException.class, () -> sgd.evaluate(initial, wrongClasses, 10));
        assertTrue(e.getMessage().contains("3 classes") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void evaluateAgreesWithAReferenceFromNetworkOutputs() {
        SplittableRandom rng = new SplittableRandom(8);
        float[] params = new float[initial.length];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (rng.nextGaussian() * 0.5);
        }
        // a trained model too, so that accuracy is far from chance
        float[] trained = sgd.train(task(initial, TRAIN, 2, 0, 20, 2)).params();

        MultiLayerNetwork ref = ModelFactory.build(SPEC, OptimizerSpec.sgd(0.1), 12345);
        try {
            for (float[] p : new float[][] {params, trained, initial}) {
                ref.setParams(Nd4j.createFromArray(p).reshape(ref.params().shape()));
                INDArray x = Nd4j.createFromArray(TEST.features()).reshape(TEST.size(), TEST.featureSize());
                INDArray probs = ref.output(x, false);
                int correct = 0;
                double loss = 0;
                for (int i = 0; i < TEST.size(); i++) {
                    int best = 0;
                    for (int c = 1; c < SPEC.numClasses(); c++) {
                        if (probs.getDouble(i, c) > probs.getDouble(i, best)) {
                            best = c;
                        }
                    }
                    if (best == TEST.label(i)) {
                        correct++;
                    }
                    loss -= Math.log(Math.max(probs.getDouble(i, TEST.label(i)), 1e-12));
                }
                double refAccuracy = (double) correct / TEST.size();
                double refLoss = loss / TEST.size();
                for (int batch : new int[] {1, 7, 100, 256}) {
                    EvalResult r = sgd.evaluate(p, TEST, batch);
                    assertEquals(refAccuracy, r.accuracy(), 0.0, "accuracy at batch " + batch);
                    assertEquals(refLoss, r.loss(), 1e-5 * refLoss, "loss at batch " + batch);
                    assertEquals(TEST.size(), r.samples());
                }
            }
        } finally {
            ref.close();
        }
    }
}
