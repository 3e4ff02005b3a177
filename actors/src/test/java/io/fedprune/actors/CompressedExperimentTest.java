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

    @Test
    void compressedRunsSendFewerBytesLearnAndAreDeterministic() {
        RunSummary dense = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(""));
        String chains = """
                fedprune.codec {
                  uplink = "magnitude(0.9) > quantize(8, stochastic) > sparse"
                  downlink = "magnitude(0.5) > sparse"
                  error-feedback = true
                }""";
        RunSummary a = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        RunSummary b = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        ExperimentDeterminismTest.assertSameExceptWallTime(a, b);
        assertEquals(dense.rounds(), a.rounds());
        // 10 % of the values at 8 bits plus indices vs every value at 32 bits
        assertTrue(a.bytesUp() < 0.15 * dense.bytesUp(), a.bytesUp() + " vs dense " + dense.bytesUp());
        // half the values at 32 bits plus a bitmap or varint indices
        assertTrue(a.bytesDown() < 0.7 * dense.bytesDown(), a.bytesDown() + " vs dense " + dense.bytesDown());
        assertTrue(a.finalAccuracy() > a.history().get(0).testAccuracy() + 0.2,
                "compressed training must still learn: " + a.history().get(0).testAccuracy() + " -> "
                        + a.finalAccuracy());
    }

    @Test
    void updatePayloadsWithTopOnePercentAndErrorFeedbackLearnAtAFractionOfTheBytes() {
        RunSummary dense = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(""));
        String chains = """
                fedprune.codec {
                  uplink = "magnitude(0.99) > quantize(8, stochastic) > sparse"
                  uplink-payload = update
                  error-feedback = true
                }""";
        RunSummary a = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        RunSummary b = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(chains));
        ExperimentDeterminismTest.assertSameExceptWallTime(a, b);
        assertEquals(dense.rounds(), a.rounds());
        // 1 % of the values at 8 bits plus varint indices vs every value at 32 bits
        assertTrue(a.bytesUp() < 0.03 * dense.bytesUp(), a.bytesUp() + " vs dense " + dense.bytesUp());
        assertEquals(dense.bytesDown(), a.bytesDown());
        assertTrue(a.finalAccuracy() > a.history().get(0).testAccuracy() + 0.2,
                "top-1 % updates with error feedback must still learn: " + a.history().get(0).testAccuracy()
                        + " -> " + a.finalAccuracy());
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
