package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.metrics.RunSummary;
import org.junit.jupiter.api.Test;

/**
 * Experiments with codec chains per direction: the byte counts are those of the compressed
 * payloads, training still works, and stochastic rounding with error feedback stays a function
 * of the seed.
 */
class CompressedExperimentTest {

    static final RunSummary DENSE = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(""));

    /** Runs {@code chains} twice, asserts the same history and that it still learns; returns the run. */
    static RunSummary deterministicLearningRun(String chains) {
        RunSummary a = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        RunSummary b = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        ExperimentDeterminismTest.assertSameExceptWallTime(a, b);
        assertEquals(DENSE.rounds(), a.rounds());
        assertTrue(a.finalAccuracy() > a.history().get(0).testAccuracy() + 0.2,
                "compressed training must still learn: " + a.history().get(0).testAccuracy() + " -> "
                        + a.finalAccuracy() + " with " + chains);
        return a;
    }

    @Test
    void compressedRunsSendFewerBytesLearnAndAreDeterministic() {
        RunSummary a = deterministicLearningRun("""
                fedprune.codec {
                  uplink = "magnitude(0.9) > quantize(8, stochastic) > sparse"
                  downlink = "magnitude(0.5) > sparse"
                  error-feedback = true
                }""");
        // 10 % of the values at 8 bits plus indices vs every value at 32 bits
        assertTrue(a.bytesUp() < 0.15 * DENSE.bytesUp(), a.bytesUp() + " vs dense " + DENSE.bytesUp());
        // half the values at 32 bits plus a bitmap or varint indices
        assertTrue(a.bytesDown() < 0.7 * DENSE.bytesDown(), a.bytesDown() + " vs dense " + DENSE.bytesDown());
    }

    @Test
    void updatePayloadsWithTopOnePercentAndErrorFeedbackLearnAtAFractionOfTheBytes() {
        RunSummary a = deterministicLearningRun("""
                fedprune.codec {
                  uplink = "magnitude(0.99) > quantize(8, stochastic) > sparse"
                  uplink-payload = update
                  error-feedback = true
                }""");
        // 1 % of the values at 8 bits plus varint indices vs every value at 32 bits
        assertTrue(a.bytesUp() < 0.03 * DENSE.bytesUp(), a.bytesUp() + " vs dense " + DENSE.bytesUp());
        assertEquals(DENSE.bytesDown(), a.bytesDown());
    }

    @Test
    void evaluatingTheAggregateScoresAnotherModelOfTheSameTraining() {
        String prunedDownlink = "fedprune.codec.downlink = \"magnitude(0.9) > sparse\"\n";
        RunSummary broadcast = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(prunedDownlink));
        RunSummary aggregate = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                prunedDownlink + "fedprune.eval.model = aggregate"));
        assertEquals(broadcast.history().size(), aggregate.history().size());
        boolean differs = false;
        for (int i = 0; i < broadcast.history().size(); i++) {
            // evaluation does not feed back into training: the same messages, byte for byte
            assertEquals(broadcast.history().get(i).bytesUp(), aggregate.history().get(i).bytesUp());
            assertEquals(broadcast.history().get(i).bytesDown(), aggregate.history().get(i).bytesDown());
            differs |= broadcast.history().get(i).testLoss() != aggregate.history().get(i).testLoss();
        }
        assertTrue(differs, "a 90 % pruned broadcast and the unpruned aggregate must score differently");
    }
}
