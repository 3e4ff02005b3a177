package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The word-at-a-time sparse paths against a per-entry reference, around 8- and 64-bit boundaries. */
class SparseWordBoundaryTest {
    private static final long FP = 0x5eedL;

    /** The straightforward encoder: scan, choose the smaller structure, write entry by entry. */
    static byte[] reference(float[] x) {
        int w = x.length;
        int n = 0;
        long varints = 0;
        int prev = 0;
        for (int i = 0; i < w; i++) {
            if (x[i] != 0f) {
                varints += Wire.varintSize(n == 0 ? i : i - prev);
                prev = i;
                n++;
            }
        }
        int nb = (w + 7) / 8;
        boolean bitmap = nb <= varints;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(PayloadHeader.SIZE + 5).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(SparseFloat32Codec.FORMAT, SparseFloat32Codec.VERSION, w, FP).write(head);
        head.put(bitmap ? (byte) 0 : (byte) 1).putInt(n);
        out.writeBytes(head.array());
        if (bitmap) {
            byte[] bits = new byte[nb];
            for (int i = 0; i < w; i++) {
                if (x[i] != 0f) {
                    bits[i / 8] |= (byte) (1 << (i % 8));
                }
            }
            out.writeBytes(bits);
        } else {
            prev = 0;
            boolean first = true;
            for (int i = 0; i < w; i++) {
                if (x[i] != 0f) {
                    int v = first ? i : i - prev;
                    first = false;
                    prev = i;
                    while (v >= 0x80) {
                        out.write((v & 0x7f) | 0x80);
                        v >>>= 7;
                    }
                    out.write(v);
                }
            }
        }
        ByteBuffer vals = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            if (v != 0f) {
                vals.putFloat(v);
            }
        }
        out.writeBytes(vals.array());
        return CompressFixtures.sealed(out.toByteArray());
    }

    @Test
    void matchesReferenceAtEveryLengthAroundWordBoundaries() {
        SplittableRandom rng = new SplittableRandom(11);
        double[] densities = {0, 0.003, 0.05, 0.12, 0.13, 0.5, 0.97, 1};
        for (int w = 0; w <= 300; w++) {
            for (double d : densities) {
                float[] x = new float[w];
                for (int i = 0; i < w; i++) {
                    if (rng.nextDouble() < d) {
                        x[i] = rng.nextDouble() < 0.1 ? -0.0f : (float) rng.nextGaussian();
                    }
                }
                if (w > 0 && d > 0) {
                    x[w - 1] = 1.5f; // the last bit of the last (partial) word
                }
                SparseFloat32Codec codec = new SparseFloat32Codec(w, FP);
                byte[] enc = codec.encode(x);
                assertArrayEquals(reference(x), enc, "w=" + w + " d=" + d);
                float[] y = codec.decode(enc);
                for (int i = 0; i < w; i++) {
                    assertEquals(Float.floatToRawIntBits(x[i] == 0f ? 0f : x[i]), Float.floatToRawIntBits(y[i]));
                }
                int[] idx = SparseIndex.nonZeros(x);
                ByteBuffer buf = ByteBuffer.allocate((int) SparseIndex.size(idx, w)).order(ByteOrder.LITTLE_ENDIAN);
                SparseIndex.write(idx, w, buf);
                assertEquals(0, buf.remaining());
                buf.flip();
                assertArrayEquals(idx, SparseIndex.read(buf, w));
                assertEquals(0, buf.remaining());
            }
        }
    }

    @Test
    void largeGapsUseMultiByteVarints() {
        int w = 1 << 22;
        float[] x = new float[w];
        x[0] = 1f;
        x[200] = 2f;
        x[20_000] = 3f;
        x[3_000_000] = 4f;
        x[w - 1] = 5f;
        SparseFloat32Codec codec = new SparseFloat32Codec(w, FP);
        byte[] enc = codec.encode(x);
        assertArrayEquals(reference(x), enc);
        assertArrayEquals(x, codec.decode(enc));
    }

    @Test
    void quantizedSparseChainRoundTripsBitPackingWidths() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int bits : new int[] {1, 3, 8, 11, 16}) {
            for (int w : new int[] {1, 63, 64, 65, 1000}) {
                float[] x = new float[w];
                for (int i = 0; i < w; i++) {
                    x[i] = rng.nextDouble() < 0.3 ? (float) rng.nextGaussian() : 0f;
                }
                CodecChain chain = new CodecChain(CodecChainSpec.parse("quantize(" + bits + ") > sparse"), w, FP);
                float[] y = chain.decode(chain.encode(x));
                assertEquals(w, y.length);
                for (int i = 0; i < w; i++) {
                    assertEquals(x[i] == 0f, y[i] == 0f, "bits=" + bits + " w=" + w + " i=" + i);
                }
            }
        }
    }
}
