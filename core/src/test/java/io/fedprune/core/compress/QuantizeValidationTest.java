package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Validation kept intact by the faster quantizing paths. Encode: the range passes check
 * finiteness through their min/max compares (NaN is unordered, an infinity becomes the min or
 * max) rather than with a test per value, so every non-finite value, wherever it sits, must still
 * be refused with the message naming the first one and its position among the quantized values,
 * and a refused stochastic call must draw nothing. Decode: the 8-bit sparse path that dequantizes
 * straight to the positions must still reject codes of a single-valued range.
 */
class QuantizeValidationTest {
    private static final float[] BAD = {Float.NaN, Float.intBitsToFloat(0xffc00001), Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};

    private static float[] base(int w) {
        float[] x = new float[w];
        for (int i = 0; i < w; i++) {
            x[i] = i % 3 == 0 ? 0f : (float) Math.sin(i) * 3;
        }
        return x;
    }

    @Test
    void everyNonFiniteValueIsRefusedAtItsPosition() {
        int w = 200;
        for (float bad : BAD) {
            for (int at : new int[] {1, 2, 100, 199}) { // non-zero positions (i % 3 != 0)
                float[] x = base(w);
                x[at] = bad;
                // dense: position = index in the vector
                for (String spec : new String[] {"quantize(8)", "quantize(4)"}) {
                    CodecChain c = new CodecChain(CodecChainSpec.parse(spec), w, 1L);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.encode(x));
                    assertEquals("cannot quantize non-finite value " + bad + " at position " + at, e.getMessage(), spec);
                }
                QuantizedCodec q = new QuantizedCodec(UniformQuantizer.deterministic(8), w, 1L);
                IllegalArgumentException eq = assertThrows(IllegalArgumentException.class, () -> q.encode(x));
                assertEquals("cannot quantize non-finite value " + bad + " at position " + at, eq.getMessage());
                // sparse: position = rank among the non-zeros
                int rank = 0;
                for (int i = 0; i < at; i++) {
                    rank += x[i] != 0f ? 1 : 0;
                }
                for (String spec : new String[] {"quantize(8) > sparse", "quantize(3) > sparse",
                    "quantize(8, stochastic, seed=1) > sparse"}) {
                    CodecChain c = new CodecChain(CodecChainSpec.parse(spec), w, 1L);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.encode(x));
                    assertEquals("cannot quantize non-finite value " + bad + " at position " + rank, e.getMessage(), spec);
                }
            }
        }
    }

    @Test
    void aNonFiniteFirstOrOnlyValueIsRefused() {
        for (float bad : BAD) {
            for (int w : new int[] {1, 2, 65}) {
                float[] x = new float[w];
                x[0] = bad;
                for (String spec : new String[] {"quantize(8)", "quantize(8) > sparse", "quantize(5) > sparse"}) {
                    CodecChain c = new CodecChain(CodecChainSpec.parse(spec), w, 1L);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.encode(x));
                    assertEquals("cannot quantize non-finite value " + bad + " at position 0", e.getMessage(), spec);
                }
            }
        }
    }

    @Test
    void perTensorStochasticDrawsNothingForARefusedCall() {
        float[] x = CompressFixtures.vector(CompressFixtures.LAYOUT, 0.5, 3);
        float[] y = x.clone();
        y[999] = Float.NaN;
        for (String spec : new String[] {"quantize(8, stochastic, seed=4) > sparse", "quantize(8, stochastic, seed=4)"}) {
            CodecChain c = CodecChain.of(spec, CompressFixtures.LAYOUT);
            byte[] want = CodecChain.of(spec, CompressFixtures.LAYOUT).encode(x);
            assertThrows(IllegalArgumentException.class, () -> c.encode(y));
            assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(c.encode(x)), spec);
        }
    }

    /** The 8-bit sparse decoder that places values straight at their positions validates as before. */
    @Test
    void sparseEightBitDecodeStillRejectsCodesOfASingleValuedRange() {
        int w = 640; // bitmap: 80 bytes; 100 non-zeros would need >= 100 varint bytes
        float[] x = new float[w];
        for (int i = 0; i < w; i += 6) {
            x[i] = 2.5f; // one value: range [2.5, 2.5], every code must be 0
        }
        CodecChain c = new CodecChain(CodecChainSpec.parse("quantize(8) > sparse"), w, 1L);
        byte[] ok = c.encode(x);
        float[] y = c.decode(ok);
        for (int i = 0; i < w; i++) {
            assertEquals(x[i], y[i]);
        }
        byte[] bad = ok.clone();
        bad[bad.length - 7] = 3; // a code
        CompressFixtures.rejects(c, bad, "checksum");
        CompressFixtures.rejects(c, CompressFixtures.sealed(bad), "single value");
        CompressFixtures.rejectsTruncationAndTrailing(c, ok);
    }

    /** The public ByteBuffer writer honours the buffer's byte order and works on direct buffers. */
    @Test
    void bufferWriterKeepsByteOrderAndDirectBuffers() {
        float[] x = CompressFixtures.vector(CompressFixtures.LAYOUT, 0.7, 9);
        int[] groups = QuantizedCodec.segmentEnds(CompressFixtures.LAYOUT.segments());
        for (int bits : new int[] {3, 8}) {
            UniformQuantizer q = UniformQuantizer.deterministic(bits);
            int n = (int) UniformQuantizer.blockBytes(x.length, groups.length, bits);
            java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(n + 3).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.nio.ByteBuffer be = java.nio.ByteBuffer.allocate(n + 3).order(java.nio.ByteOrder.BIG_ENDIAN);
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(n + 3).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (java.nio.ByteBuffer b : new java.nio.ByteBuffer[] {le, be, direct}) {
                b.put((byte) 7).put((byte) 7).put((byte) 7); // an offset
                q.write(x, groups, b);
                assertEquals(n + 3, b.position());
            }
            for (int g = 0; g < 2 * groups.length; g++) {
                assertEquals(Float.floatToRawIntBits(le.getFloat(3 + 4 * g)), Float.floatToRawIntBits(be.getFloat(3 + 4 * g)));
                assertEquals(le.getFloat(3 + 4 * g), direct.getFloat(3 + 4 * g));
            }
            for (int i = 3 + 8 * groups.length; i < n + 3; i++) {
                assertEquals(le.get(i), be.get(i));
                assertEquals(le.get(i), direct.get(i));
            }
        }
    }
}
