package io.fedprune.core.personal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.core.train.TrainResult;
import io.fedprune.core.train.TrainTask;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** LocalAlt's phases, freezing, importance pruning and what it leaves to send. */
class LocalAltTest {
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(300, 4, 1, 4, 4, 0.1, 11);
    static final LocalTrainer TRAINER = new LocalTrainer(SPEC, OptimizerSpec.sgd(0.1), 1);
    static final PersonalParts PARTS = PersonalParts.of(TRAINER.layout(), List.of(-1));
    // 70 samples, batch 16: 5 batches a pass, the last one short, so phases cross pass boundaries
    static final int[] SHARD = IntStream.range(0, 70).map(i -> i * 3).toArray();
    static final int BATCH = 16;

    @AfterAll
    static void close() {
        TRAINER.close();
    }

    static float[] received() {
        return TRAINER.parameters();
    }

    static LocalAlt.Result run(LocalAltRound r, float[] received, float[] personal) {
        return LocalAlt.run(TRAINER, new LocalAlt.Input(received, personal, PARTS, DATA, SHARD, BATCH, 42, r, null, 1));
    }

    @Test
    void theOutputLayerIsPersonalByDefaultAndIndicesSplitTheModel() {
        var segments = TRAINER.layout().segments();
        int outputStart = segments.get(segments.size() - 2).offset(); // output weights and bias
        int n = TRAINER.layout().totalLength();
        assertEquals(n - outputStart, PARTS.personalLength());
        assertEquals(outputStart, PARTS.globalLength());
        assertEquals(outputStart, PARTS.personalIndices()[0]);
        assertThrows(IllegalArgumentException.class, () -> PersonalParts.of(TRAINER.layout(), List.of(2)));
        assertThrows(IllegalArgumentException.class, () -> PersonalParts.of(TRAINER.layout(), List.of(0, 1)));
        assertEquals(PARTS.global(), PersonalParts.of(TRAINER.layout(), List.of(1)).global(), "-1 is layer 1 of 2");
    }

    @Test
    void thePersonalPhaseLeavesTheGlobalPartBitIdentical() {
        float[] received = received();
        float[] personal = PARTS.personalOf(received);
        LocalAlt.Result r = run(new LocalAltRound(7, 0, 0, 0, 1e6), received, personal);
        for (int i : PARTS.globalIndices()) {
            assertEquals(Float.floatToRawIntBits(received[i]), Float.floatToRawIntBits(r.upload()[i]), "entry " + i);
        }
        assertFalse(Arrays.equals(personal, r.personal()), "the personal part trained");
        assertArrayEquals(new int[] {7, 0, 0}, r.phaseSteps());
    }

    @Test
    void theGlobalPhasesLeaveThePersonalPartBitIdentical() {
        float[] received = received();
        float[] personal = PARTS.personalOf(received);
        for (int i = 0; i < personal.length; i++) {
            personal[i] += 0.25f * (i % 3); // the device's own values, unlike the received ones
        }
        LocalAlt.Result r = run(new LocalAltRound(0, 4, 3, 0.5, 1e6), received, personal);
        assertArrayEquals(personal, r.personal(), 0f);
        for (int i : PARTS.personalIndices()) {
            assertEquals(0f, r.upload()[i], "the personal entry " + i + " is not sent");
        }
    }

    @Test
    void phasesAreOneStreamOfStepsWithTheSamplesOfThePlainRound() {
        float[] received = received();
        float[] personal = PARTS.personalOf(received);
        LocalAlt.Result r = run(new LocalAltRound(3, 4, 2, 0, 1e6), received, personal);
        assertEquals(TrainTask.plannedSamples(SHARD.length, 0, 9, BATCH), r.samples());
        // with plain SGD (no optimiser state) and nothing held, cutting the stream changes nothing
        TrainResult whole = TRAINER.trainSteps(received, DATA, SHARD, BATCH, 5, 0, 9, new int[0]);
        TrainResult first = TRAINER.trainSteps(received, DATA, SHARD, BATCH, 5, 0, 6, new int[0]);
        TrainResult rest = TRAINER.trainSteps(first.params(), DATA, SHARD, BATCH, 5, 6, 9, new int[0]);
        assertArrayEquals(whole.params(), rest.params(), 0f);
        assertEquals(whole.samples(), first.samples() + rest.samples());
        // step 6 starts a pass mid-way (5 batches a pass), the replayed shuffle included
        TrainResult a = TRAINER.trainSteps(received, DATA, SHARD, BATCH, 5, 0, 7, new int[0]);
        TrainResult b = TRAINER.trainSteps(first.params(), DATA, SHARD, BATCH, 5, 6, 7, new int[0]);
        assertArrayEquals(a.params(), b.params(), 0f);
    }

    @Test
    void pruningKeepsTheLargestSquaredUpdatesAndTiesGoToTheLowerIndex() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = TRAINER.layout().totalLength();
        for (double ratio : new double[] {0.1, 0.5, 0.77, 0.95}) {
            float[] ref = new float[n];
            float[] params = new float[n];
            for (int i = 0; i < n; i++) {
                ref[i] = (float) rng.nextGaussian();
                // a coarse grid of changes makes many ties
                params[i] = ref[i] + (float) (rng.nextInt(9) - 4) * 0.125f;
            }
            float[] pruned = params.clone();
            Mask kept = LocalAlt.prune(pruned, ref, PARTS, ratio);
            int[] global = PARTS.globalIndices();
            Integer[] order = Arrays.stream(global).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -sq(params[i] - ref[i]))
                    .thenComparingInt(i -> i));
            int keep = (int) Math.round((1 - ratio) * global.length);
            boolean[] expected = new boolean[n];
            for (int k = 0; k < keep; k++) {
                expected[order[k]] = true;
            }
            for (int i = 0; i < n; i++) {
                boolean personal = !PARTS.global().get(i);
                assertEquals(expected[i], kept.get(i), "ratio " + ratio + " entry " + i);
                float want = personal || expected[i] ? params[i] : 0f;
                assertEquals(want, pruned[i], "ratio " + ratio + " entry " + i);
            }
        }
    }

    private static double sq(double d) {
        return d * d;
    }

    @Test
    void prunedEntriesStayZeroThroughTheMaskedSteps() {
        float[] received = received();
        float[] personal = PARTS.personalOf(received);
        LocalAlt.Result r = run(new LocalAltRound(2, 3, 6, 0.6, 1e6), received, personal);
        int keep = (int) Math.round(0.4 * PARTS.globalLength());
        assertEquals(keep, r.kept().cardinality());
        assertTrue(r.kept().isSubsetOf(PARTS.global()));
        int nonZero = 0;
        for (int i : PARTS.globalIndices()) {
            if (!r.kept().get(i)) {
                assertEquals(0f, r.upload()[i], "pruned entry " + i);
            } else if (r.upload()[i] != 0f) {
                nonZero++;
            }
        }
        assertTrue(nonZero > keep * 0.9, "the kept entries trained on: " + nonZero + " of " + keep);
    }

    @Test
    void aDeviceTestSplitScoresTheReceivedModelWithItsOwnPersonalPart() {
        float[] received = received();
        float[] personal = PARTS.personalOf(received);
        Dataset test = SyntheticDataset.gaussianClusters(40, 4, 1, 4, 4, 0.1, 11, 2);
        LocalAlt.Result r = LocalAlt.run(TRAINER, new LocalAlt.Input(received, personal, PARTS, DATA, SHARD, BATCH,
                1, new LocalAltRound(1, 1, 1, 0.3, 1e6), test, 7));
        float[] model = received.clone();
        PARTS.overlay(model, personal);
        assertEquals(TRAINER.evaluate(model, test, 7).accuracy(), r.deviceAccuracy());
    }
}
