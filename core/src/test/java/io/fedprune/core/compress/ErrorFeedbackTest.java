package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ErrorFeedbackTest {
    private static final int W = 500;

    /** Max |cumulative sent - cumulative true| after each of {@code rounds} rounds. */
    private static double[] drift(WireCodec codec, boolean feedback, int rounds) {
        SplittableRandom rng = new SplittableRandom(17);
        float[] bias = new float[W];
        for (int i = 0; i < W; i++) {
            bias[i] = (float) (rng.nextGaussian() * 0.01);
        }
        ErrorFeedback ef = new ErrorFeedback(W);
        double[] sentSum = new double[W];
        double[] trueSum = new double[W];
        double[] out = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            float[] u = new float[W];
            for (int i = 0; i < W; i++) {
                u[i] = bias[i] + (float) (rng.nextGaussian() * 0.01);
                trueSum[i] += u[i];
            }
            float[] c = feedback ? ef.compensate(u) : u;
            float[] sent = codec.decode(codec.encode(c));
            if (feedback) {
                ef.recordSent(c, sent);
            }
            double worst = 0;
            for (int i = 0; i < W; i++) {
                sentSum[i] += sent[i];
                worst = Math.max(worst, Math.abs(sentSum[i] - trueSum[i]));
            }
            out[r] = worst;
        }
        return out;
    }

    @Test
    void feedbackKeepsCumulativeDriftBoundedUnderTopKSparsification() {
        CodecChain topk = new CodecChain(CodecChainSpec.parse("magnitude(0.9) > sparse"), W, 1L);
        double[] with = drift(topk, true, 300);
        double[] without = drift(topk, false, 300);
        // Without feedback the dropped 90% accumulate linearly; with it the gap is the residual,
        // which stays at the scale of a few rounds' updates and does not grow.
        assertTrue(without[299] > 5 * with[299], "without " + without[299] + " vs with " + with[299]);
        assertTrue(with[299] < 1.5 * max(with, 0, 100) + 0.05, "drift with feedback grows: " + with[299]);
        assertTrue(without[299] > 2 * without[99], "drift without feedback should keep growing");
    }

    @Test
    void feedbackRemovesTheBiasOfCoarseQuantization() {
        // pow2 down to 2^-4 flushes most of these ~0.01 updates to zero: a heavily biased codec.
        CodecChain q1 = new CodecChain(CodecChainSpec.parse("pow2(-4, 0) > sparse"), W, 1L);
        double[] with = drift(q1, true, 300);
        double[] without = drift(q1, false, 300);
        assertTrue(without[299] > 5 * with[299], "without " + without[299] + " vs with " + with[299]);
    }

    @Test
    void residualIsCompensatedMinusSent() {
        ErrorFeedback ef = new ErrorFeedback(3);
        float[] c = ef.compensate(new float[] {1f, 2f, 3f});
        ef.recordSent(c, new float[] {1f, 0f, 2.5f});
        assertArrayEquals(new float[] {0f, 2f, 0.5f}, ef.residual());
        assertArrayEquals(new float[] {1f, 3f, 1.5f}, ef.compensate(new float[] {1f, 1f, 1f}));
        ef.reset();
        assertArrayEquals(new float[3], ef.residual());
        assertThrows(IllegalArgumentException.class, () -> ef.compensate(new float[2]));
    }

    private static double max(double[] a, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }
}
