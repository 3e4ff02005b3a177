package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.train.EvalResult;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.train.TrainResult;
import io.fedprune.core.train.TrainTask;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training a pruned sub-model: pruned weights stay exactly 0 under every optimiser. */
class MaskedTrainingTest {
    /** A 4204-parameter MLP on 4 Gaussian clusters: cheap to train. */
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset TRAIN = SyntheticDataset.gaussianClusters(200, 4, 1, 4, 4, 0.1, 7, 1);
    static final Dataset TEST = SyntheticDataset.gaussianClusters(100, 4, 1, 4, 4, 0.1, 7, 2);
    static final int[] ALL = IntStream.range(0, TRAIN.size()).toArray();
    static final OptimizerSpec[] OPTIMIZERS = {OptimizerSpec.sgd(0.1),
            new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.05, 0.9), OptimizerSpec.adam(0.01)};

    private static LocalTrainer[] trainers;

    @BeforeAll
    static void build() {
        trainers = new LocalTrainer[OPTIMIZERS.length];
        for (int i = 0; i < trainers.length; i++) {
            trainers[i] = new LocalTrainer(SPEC, OPTIMIZERS[i], 3);
        }
    }

    @AfterAll
    static void close() {
        for (LocalTrainer t : trainers) {
            if (t != null) {
                t.close();
            }
        }
    }

    @Test
    void prunedEntriesStayExactlyZeroAndKeptOnesTrain() {
        float[] start = trainers[0].parameters();
        // half the weights by magnitude, biases and classifier kept dense
        Mask mask = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.denseOnly(), PruningPolicy.Scope.GLOBAL)
                .select(trainers[0].layout(), start, null, 0.5);
        assertTrue(mask.cardinality() < start.length * 0.8, mask.toString());
        SplittableRandom rng = new SplittableRandom(5);
        for (int o = 0; o < trainers.length; o++) {
            LocalTrainer t = trainers[o];
            // the incoming parameters are NOT pre-zeroed: the trainer must apply the mask itself
            TrainResult r = t.train(new TrainTask(start, TRAIN, ALL, 3, 0, 16, rng.nextLong(), mask));
            float[] out = r.params();
            int kept = 0;
            int changed = 0;
            for (int i = 0; i < out.length; i++) {
                if (mask.get(i)) {
                    kept++;
                    changed += out[i] != start[i] ? 1 : 0;
                } else {
                    assertEquals(0, Float.floatToRawIntBits(out[i]), OPTIMIZERS[o] + ": pruned entry " + i + " = " + out[i]);
                }
            }
            assertTrue(changed > 0.8 * kept, OPTIMIZERS[o] + ": only " + changed + " of " + kept + " kept entries changed");
            EvalResult eval = t.evaluate(out, TEST, 50);
            assertTrue(eval.accuracy() >= 0.8, OPTIMIZERS[o] + ": pruned model accuracy " + eval.accuracy());
        }
    }

    @Test
    void noMaskIsBitIdenticalToTheOldConstructorAndToKeepingEverything() {
        for (LocalTrainer t : trainers) {
            float[] start = t.parameters();
            TrainTask old = new TrainTask(start, TRAIN, ALL, 1, 0, 16, 42);
            assertNull(old.mask());
            float[] a = t.train(old).params();
            // a masked run in between must not leave anything behind
            t.train(new TrainTask(start, TRAIN, ALL, 1, 0, 16, 42, Mask.none(start.length)));
            float[] b = t.train(new TrainTask(start, TRAIN, ALL, 1, 0, 16, 42, null)).params();
            float[] c = t.train(new TrainTask(start, TRAIN, ALL, 1, 0, 16, 42, Mask.all(start.length))).params();
            assertArrayEquals(a, b);
            assertArrayEquals(a, c);
            assertFalse(Arrays.equals(start, a));
        }
    }

    @Test
    void maskedTrainingIsDeterministic() {
        LocalTrainer t = trainers[2];
        float[] start = t.parameters();
        Mask mask = MagnitudePruner.keepLargest(start, 0.3);
        TrainTask task = new TrainTask(start, TRAIN, ALL, 0, 10, 16, 9, mask);
        assertArrayEquals(t.train(task).params(), t.train(task).params());
    }

    @Test
    void maskOfTheWrongSizeIsRejected() {
        assertMessage(() -> new TrainTask(new float[5], TRAIN, ALL, 1, 0, 16, 1, Mask.all(4)), "4", "5");
    }
}
