package io.fedprune.core.split;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.UniformQuantizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.prune.Mask;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutLayerCodecTest {
    private static final long KEY = 0x1234_5678_9abcL;

    private static float[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextGaussian() * 3);
        }
        return v;
    }

    private static int[] labels(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = rng.nextInt(classes);
        }
        return l;
    }

    @Test
    void float32RoundTripsAreExactForRandomShapes() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int batch = 1 + rng.nextInt(40);
            int classes = 2 + rng.nextInt(200);
            float[] values = gaussian(rng.nextInt(2000), trial);
            int[] labels = labels(batch, classes, trial);
            byte[] up = CutLayerCodec.float32().encodeActivations(values, labels, classes, KEY + trial);
            assertEquals(CutLayerCodec.activationBytes(values.length, batch, classes, 32), up.length);
            CutLayerCodec.Activations a = CutLayerCodec.decodeActivations(up, values.length, batch, classes, KEY + trial);
            assertArrayEquals(values, a.kept());
            assertArrayEquals(labels, a.labels());
            byte[] down = CutLayerCodec.float32().encodeGradients(values, KEY + trial);
            assertEquals(CutLayerCodec.gradientBytes(values.length, 32), down.length);
            assertArrayEquals(values, CutLayerCodec.decodeGradients(down, values.length, KEY + trial));
        }
    }

    @Test
    void quantizedGradientsStayWithinOneGridStepAndAreUnbiased() {
        for (int bits : new int[] {2, 4, 8}) {
            CutLayerCodec codec = CutLayerCodec.quantized(UniformQuantizer.stochastic(bits, 3));
            float[] g = gaussian(4000, bits);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : g) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double step = UniformQuantizer.step(min, max, bits);
            byte[] down = codec.encodeGradients(g, KEY);
            assertEquals(CutLayerCodec.gradientBytes(g.length, bits), down.length);
            assertEquals(20 + 1 + 8 + (g.length * bits + 7) / 8, down.length);
            double meanErr = 0;
            float[] back = CutLayerCodec.decodeGradients(down, g.length, KEY);
            for (int i = 0; i < g.length; i++) {
                double err = back[i] - g[i];
                assertTrue(Math.abs(err) < step + 1e-5, bits + " bits: error " + err + " >= step " + step);
                meanErr += err;
            }
            meanErr /= g.length;
            // unbiased: the mean error of 4000 independent roundings is ~step/sqrt(6*4000)
            assertTrue(Math.abs(meanErr) < 4 * step / Math.sqrt(6 * 4000.0), bits + " bits: mean error " + meanErr);
        }
    }

    @Test
    void droppedValuesNeverTravelAndBytesShrinkWithTheKeepRate() {
        int batch = 32;
        int classes = 10;
        float[] acts = gaussian(batch * 200, 1);
        int[] labels = labels(batch, classes, 1);
        long previous = Long.MAX_VALUE;
        for (double rate : new double[] {0, 0.25, 0.5, 0.75}) {
            ActivationDropout dropout = new ActivationDropout(rate, 11);
            Mask keep = dropout.keepMask(3, 1, 4, acts.length);
            float[] poisoned = acts.clone();
            for (int i = 0; i < poisoned.length; i++) {
                if (!keep.get(i)) {
                    poisoned[i] = Float.NaN; // encoding a dropped value would throw
                }
            }
            float[] kept = ActivationDropout.kept(poisoned, keep);
            byte[] up = CutLayerCodec.float32().encodeActivations(kept, labels, classes, KEY);
            // 20-byte header, width byte, 32 labels x 4 bits, 4 bytes per kept value
            assertEquals(20 + 1 + 16 + 4L * keep.cardinality(), up.length, "rate " + rate);
            assertTrue(up.length < previous, "rate " + rate + ": " + up.length + " bytes");
            previous = up.length;
            CutLayerCodec.Activations a = CutLayerCodec.decodeActivations(up, keep.cardinality(), batch, classes, KEY);
            float[] atServer = dropout.serverInput(a.kept(), keep);
            for (int i = 0; i < acts.length; i++) {
                assertEquals(keep.get(i) ? acts[i] / (1 - rate) : 0f, atServer[i], 1e-5f * Math.abs(acts[i]));
            }
        }
    }

    @Test
    void damagedMismatchedOrTruncatedPayloadsAreRefused() {
        float[] g = gaussian(100, 2);
        int[] labels = labels(8, 10, 2);
        byte[] up = CutLayerCodec.float32().encodeActivations(g, labels, 10, KEY);
        byte[] flipped = up.clone();
        flipped[40] ^= 0x10;
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeActivations(flipped, 100, 8, 10, KEY));
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeActivations(up, 100, 8, 10, KEY + 1));
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeActivations(up, 99, 8, 10, KEY));
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeActivations(up, 100, 9, 10, KEY));
        byte[] down = CutLayerCodec.float32().encodeGradients(g, KEY);
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeGradients(up, 100, KEY));
        assertThrows(PayloadFormatException.class,
                () -> CutLayerCodec.decodeGradients(java.util.Arrays.copyOf(down, down.length - 1), 100, KEY));
        assertThrows(PayloadFormatException.class, () -> CutLayerCodec.decodeGradients(new byte[3], 100, KEY));
        float[] nan = g.clone();
        nan[7] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> CutLayerCodec.float32().encodeGradients(nan, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> CutLayerCodec.quantized(UniformQuantizer.stochastic(8, 1)).encodeGradients(nan, KEY));
        assertThrows(IllegalArgumentException.class,
                () -> CutLayerCodec.float32().encodeActivations(g, new int[] {10}, 10, KEY));
    }
}
