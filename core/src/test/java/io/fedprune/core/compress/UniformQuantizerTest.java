package io.fedprune.core.compress;

import static io.fedprune.core.compress.CompressFixtures.concat;
import static io.fedprune.core.compress.CompressFixtures.header;
import static io.fedprune.core.compress.CompressFixtures.le;
import static io.fedprune.core.compress.CompressFixtures.payload;
import static io.fedprune.core.compress.CompressFixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UniformQuantizerTest {
    private static final ParameterLayout LAYOUT = CompressFixtures.LAYOUT;
    private static final int W = LAYOUT.totalLength();
    private static final long FP = LAYOUT.fingerprint();

    /** Float rounding allowance on top of the exact-arithmetic bounds: one ulp of the range's larger end. */
    static double slack(float min, float max) {
        return Math.ulp(Math.max(Math.abs(min), Math.abs(max)));
    }

    static float min(float[] x, int from, int to) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.min(m, x[i]);
        }
        return m;
    }

    static float max(float[] x, int from, int to) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    /** Reference: the grid point nearest x, by trying every one of the 2^b levels. */
    static float nearestLevelBruteForce(float x, float min, float max, int bits) {
        if (min == max) {
            return min;
        }
        double step = ((double) max - min) / ((1 << bits) - 1);
        float best = min;
        for (int k = 0; k < (1 << bits); k++) {
            float g = (float) (min + k * step);
            if (Math.abs((double) x - g) < Math.abs((double) x - best)) {
                best = g;
            }
        }
        return best;
    }

    private static float[] roundTrip(UniformQuantizer q, float[] x, int[] groupEnds) {
        ByteBuffer buf = ByteBuffer.allocate((int) UniformQuantizer.blockBytes(x.length, groupEnds.length, q.bits()))
                .order(ByteOrder.LITTLE_ENDIAN);
        q.write(x, groupEnds, buf);
        assertEquals(0, buf.remaining(), "block size formula");
        buf.flip();
        return UniformQuantizer.read(buf, x.length, groupEnds, q.bits());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 8, 12, 16})
    void errorBoundsHoldForEveryBitWidth(int bits) {
        int[] perLayer = QuantizedCodec.segmentEnds(LAYOUT.segments());
        for (long seed = 1; seed <= 4; seed++) {
            float[] x = CompressFixtures.vector(LAYOUT, 1.0, seed);
            for (int[] groups : new int[][] {{W}, perLayer}) {
                float[] det = roundTrip(UniformQuantizer.deterministic(bits), x, groups);
                float[] sto = roundTrip(UniformQuantizer.stochastic(bits, seed), x, groups);
                int from = 0;
                for (int end : groups) {
                    float mn = min(x, from, end);
                    float mx = max(x, from, end);
                    double step = UniformQuantizer.step(mn, mx, bits);
                    for (int i = from; i < end; i++) {
                        double ed = Math.abs((double) x[i] - det[i]);
                        assertTrue(ed <= step / 2 + slack(mn, mx), "deterministic error " + ed + " > step/2 " + step / 2);
                        double es = Math.abs((double) x[i] - sto[i]);
                        assertTrue(es < step + slack(mn, mx), "stochastic error " + es + " >= step " + step);
                        if (bits <= 12) {
                            float ref = nearestLevelBruteForce(x[i], mn, mx, bits);
                            assertTrue(ed <= Math.abs((double) x[i] - ref) + slack(mn, mx), "not the nearest level");
                        }
                    }
                    assertEquals(mn, det[from + indexOf(x, from, end, mn)], "the minimum is a grid point");
                    from = end;
                }
            }
        }
    }

    private static int indexOf(float[] x, int from, int to, float v) {
        for (int i = from; i < to; i++) {
            if (x[i] == v) {
                return i - from;
            }
        }
        throw new AssertionError();
    }

    @Test
    void perLayerScaleIsFinerForSmallSegments() {
        float[] x = CompressFixtures.vector(LAYOUT, 1.0, 9);
        float[] tensor = roundTrip(UniformQuantizer.deterministic(4), x, new int[] {W});
        float[] layer = roundTrip(UniformQuantizer.deterministic(4), x, QuantizedCodec.segmentEnds(LAYOUT.segments()));
        ParameterSegment bias = LAYOUT.segments().get(1);
        double et = 0;
        double el = 0;
        for (int i = bias.offset(); i < bias.end(); i++) {
            et += Math.abs(x[i] - tensor[i]);
            el += Math.abs(x[i] - layer[i]);
        }
        assertTrue(el * 10 < et, "per-layer bias error " + el + " vs per-tensor " + et);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void stochasticRoundingIsUnbiased(int bits) {
        UniformQuantizer q = UniformQuantizer.stochastic(bits, 42);
        float min = -1f;
        float max = 1.5f;
        double step = UniformQuantizer.step(min, max, bits);
        int n = 20_000;
        float[] probes = {-0.93f, -0.3f, 0.0f, 0.123f, 0.77f, 1.49f};
        for (float x : probes) {
            double sum = 0;
            for (int t = 0; t < n; t++) {
                sum += UniformQuantizer.value(q.code(x, min, max), min, max, bits);
            }
            double mean = sum / n;
            // Rounding is a Bernoulli choice between two points step apart: sd <= step/2.
            double tol = 5 * (step / 2) / Math.sqrt(n) + 1e-6;
            assertEquals(x, mean, tol, "mean of stochastic q(" + x + ") at " + bits + " bits");
        }
        // Deterministic rounding is biased for the same probe at 1 bit (it always picks one end).
        UniformQuantizer d = UniformQuantizer.deterministic(1);
        assertEquals(-1f, UniformQuantizer.value(d.code(-0.3f, min, max), min, max, 1));
    }

    @Test
    void stochasticRoundingIsReproducibleForASeed() {
        float[] x = CompressFixtures.vector(LAYOUT, 1.0, 5);
        assertArrayEquals(roundTrip(UniformQuantizer.stochastic(3, 11), x, new int[] {W}),
                roundTrip(UniformQuantizer.stochastic(3, 11), x, new int[] {W}));
    }

    @Test
    void constantGroupsAndEmptyGroupsDecodeExactly() {
        float[] x = {0.25f, 0.25f, 0.25f, -3f};
        assertArrayEquals(x, roundTrip(UniformQuantizer.deterministic(2), x, new int[] {3, 3, 4}));
    }

    @Test
    void bitPackingMatchesReference() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int bits = 1; bits <= 16; bits++) {
            int[] codes = rng.ints(37, 0, 1 << bits).toArray();
            ByteBuffer buf = ByteBuffer.allocate((int) BitPacking.packedBytes(codes.length, bits));
            BitPacking.pack(codes, codes.length, bits, buf);
            assertArrayEquals(CompressFixtures.packReference(codes, bits), buf.array());
            buf.flip();
            assertArrayEquals(codes, BitPacking.unpack(buf, codes.length, bits, "codes"));
        }
    }

    @Test
    void rejectsBadConfigurationAndNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> UniformQuantizer.deterministic(0));
        assertThrows(IllegalArgumentException.class, () -> UniformQuantizer.stochastic(17, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedCodec(UniformQuantizer.deterministic(4), 2, FP).encode(new float[] {1f, Float.NaN}));
    }

    // ---- QuantizedCodec ----------------------------------------------------------------------

    @Test
    void codecSizeMatchesFormula() {
        QuantizedCodec c = new QuantizedCodec(UniformQuantizer.deterministic(5), UniformQuantizer.Scale.PER_LAYER, LAYOUT);
        byte[] p = c.encode(CompressFixtures.vector(LAYOUT, 0.5, 1));
        assertEquals(20 + 3 + 8 * 4 + (W * 5 + 7) / 8, p.length);
        assertEquals(c.encodedSize(), p.length);
    }

    private static byte[] quantizedPayload(int bits, int scale, int rounding, float min, float max, byte[] codes) {
        byte[] params = {(byte) bits, (byte) scale, (byte) rounding};
        byte[] range = new byte[8];
        le(range).putFloat(0, min).putFloat(4, max);
        return payload(header((byte) 3, 4, FP), params, range, codes);
    }

    @Test
    void codecRejectsMalformedPayloads() {
        QuantizedCodec c = new QuantizedCodec(UniformQuantizer.deterministic(4), 4, FP);
        byte[] ok = quantizedPayload(4, 0, 0, -1f, 1f, new byte[] {0x10, 0x32});
        float[] y = c.decode(ok);
        assertEquals(-1f, y[0]);
        assertEquals(1f, UniformQuantizer.value(15, -1f, 1f, 4));
        CompressFixtures.rejectsTruncationAndTrailing(c, ok);
        rejects(c, quantizedPayload(0, 0, 0, -1f, 1f, new byte[2]), "bit width 0 outside 1..16");
        rejects(c, quantizedPayload(17, 0, 0, -1f, 1f, new byte[2]), "bit width 17 outside 1..16");
        rejects(c, quantizedPayload(8, 0, 0, -1f, 1f, new byte[4]), "expects 4 bits");
        rejects(c, quantizedPayload(4, 1, 0, -1f, 1f, new byte[2]), "expects");
        rejects(c, quantizedPayload(4, 2, 0, -1f, 1f, new byte[2]), "unknown quantization scale");
        rejects(c, quantizedPayload(4, 0, 1, -1f, 1f, new byte[2]), "expects");
        rejects(c, quantizedPayload(4, 0, 5, -1f, 1f, new byte[2]), "unknown rounding");
        rejects(c, quantizedPayload(4, 0, 0, 1f, -1f, new byte[2]), "min <= max");
        rejects(c, quantizedPayload(4, 0, 0, Float.NaN, 1f, new byte[2]), "finite");
        rejects(c, quantizedPayload(4, 0, 0, 0f, Float.POSITIVE_INFINITY, new byte[2]), "finite");
        rejects(c, quantizedPayload(4, 0, 0, 2f, 2f, new byte[] {0x01, 0}), "single value");
        rejects(new QuantizedCodec(UniformQuantizer.deterministic(4), 4, FP + 1), ok, "fingerprint");
        rejects(new QuantizedCodec(UniformQuantizer.deterministic(4), 5, FP), ok, "declares");
        QuantizedCodec c3 = new QuantizedCodec(UniformQuantizer.deterministic(3), 3, FP);
        byte[] padded = payload(header((byte) 3, 3, FP), new byte[] {3, 0, 0}, new byte[8], new byte[] {0, (byte) 0x80});
        rejects(c3, padded, "padding");
    }
}
