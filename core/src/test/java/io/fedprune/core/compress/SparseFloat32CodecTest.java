package io.fedprune.core.compress;

import static io.fedprune.core.compress.CompressFixtures.concat;
import static io.fedprune.core.compress.CompressFixtures.header;
import static io.fedprune.core.compress.CompressFixtures.le;
import static io.fedprune.core.compress.CompressFixtures.payload;
import static io.fedprune.core.compress.CompressFixtures.rejects;
import static io.fedprune.core.compress.CompressFixtures.varint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SparseFloat32CodecTest {
    private static final long FP = 0x0fed_0001_2345_6789L;
    private static final int W = CompressFixtures.LAYOUT.totalLength();

    /** Reference encoder written from the format description, both structures built, the smaller kept. */
    static byte[] referenceEncode(float[] x, long fp) {
        ByteArrayOutputStream ind = new ByteArrayOutputStream();
        ByteArrayOutputStream vals = new ByteArrayOutputStream();
        byte[] bitmap = new byte[(x.length + 7) / 8];
        int count = 0;
        int prev = -1;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                bitmap[i / 8] |= (byte) (1 << (i % 8));
                ind.writeBytes(varint(prev < 0 ? i : i - prev));
                prev = i;
                count++;
                int bits = Float.floatToRawIntBits(x[i]);
                for (int b = 0; b < 4; b++) {
                    vals.write(bits >>> (8 * b));
                }
            }
        }
        boolean useBitmap = bitmap.length <= ind.size();
        byte[] fixed = new byte[5];
        fixed[0] = (byte) (useBitmap ? 0 : 1);
        le(fixed).putInt(1, count);
        return payload(header((byte) 2, x.length, fp), fixed, useBitmap ? bitmap : ind.toByteArray(), vals.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.5, 0.1, 0.01, 0.0})
    void roundTripMatchesReferenceAndSizeFormula(double density) {
        SparseFloat32Codec codec = new SparseFloat32Codec(W, FP);
        for (long seed = 1; seed <= 5; seed++) {
            float[] x = CompressFixtures.vector(CompressFixtures.LAYOUT, density, seed);
            byte[] enc = codec.encode(x);
            assertArrayEquals(referenceEncode(x, FP), enc);
            assertArrayEquals(x, codec.decode(enc));
            int nz = (int) Math.round(density * W);
            // Size = header + flag + count + index bytes + 4 per value; index bytes between the
            // lower bound (1 per varint) and the predicted upper bound; exact for the bitmap.
            assertTrue(enc.length <= SparseFloat32Codec.predictedSize(W, nz), enc.length + " > predicted");
            assertTrue(enc.length >= SparseFloat32Codec.minimumSize(W, nz), enc.length + " < minimum");
            if (enc[PayloadHeader.SIZE] == 0) {
                assertEquals(SparseFloat32Codec.bitmapSize(W, nz), enc.length);
            }
        }
    }

    @Test
    void choosesBitmapWhenDenseAndVarintsWhenSparse() {
        SparseFloat32Codec codec = new SparseFloat32Codec(W, FP);
        assertEquals(0, codec.encode(CompressFixtures.vector(CompressFixtures.LAYOUT, 0.5, 3))[PayloadHeader.SIZE]);
        assertEquals(1, codec.encode(CompressFixtures.vector(CompressFixtures.LAYOUT, 0.01, 3))[PayloadHeader.SIZE]);
    }

    @Test
    void varintBoundHoldsForRandomAndEvenlySpreadIndices() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 400; trial++) {
            int w = 1 + rng.nextInt(1 << rng.nextInt(1, 22));
            int nz = rng.nextInt(Math.min(w, 300) + 1);
            int[] idx;
            if (trial % 2 == 0) {
                // Evenly spread, ending at W-1: maximises the gaps, the worst case for the bound.
                idx = new int[nz];
                for (int k = 0; k < nz; k++) {
                    idx[k] = (int) (w - 1 - (long) (nz - 1 - k) * (w / Math.max(nz, 1)));
                }
            } else {
                idx = rng.ints(0, w).distinct().limit(nz).sorted().toArray();
            }
            assertTrue(SparseIndex.varintBytes(idx) <= SparseFloat32Codec.varintIndexBytesUpperBound(w, nz),
                    "w=" + w + " nz=" + nz);
        }
    }

    @Test
    void negativeZeroIsSentAsZeroAndSpecialValuesSurvive() {
        SparseFloat32Codec codec = new SparseFloat32Codec(5, FP);
        float[] x = {-0.0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE};
        float[] y = codec.decode(codec.encode(x));
        assertEquals(0, Float.floatToRawIntBits(y[0]));
        assertTrue(Float.isNaN(y[1]));
        assertEquals(Float.POSITIVE_INFINITY, y[2]);
        assertEquals(Float.MIN_VALUE, y[3]);
        assertEquals(-Float.MAX_VALUE, y[4]);
    }

    @Test
    void emptyVectorRoundTrips() {
        SparseFloat32Codec codec = new SparseFloat32Codec(0, FP);
        assertArrayEquals(new float[0], codec.decode(codec.encode(new float[0])));
    }

    @Test
    void encodeRejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new SparseFloat32Codec(3, FP).encode(new float[4]));
    }

    // ---- malformed input -------------------------------------------------------------------

    private static final int SMALL = 20;
    private final SparseFloat32Codec small = new SparseFloat32Codec(SMALL, FP);

    private static byte[] varintPayload(int count, byte[]... indexAndValues) {
        byte[] fixed = new byte[5];
        fixed[0] = 1;
        le(fixed).putInt(1, count);
        return payload(header((byte) 2, SMALL, FP), fixed, concat(indexAndValues));
    }

    private static byte[] bitmapPayload(int count, int bitmap, int values) {
        byte[] fixed = new byte[5];
        le(fixed).putInt(1, count);
        byte[] bm = new byte[3];
        le(bm).put(0, (byte) bitmap).put(1, (byte) (bitmap >>> 8)).put(2, (byte) (bitmap >>> 16));
        return payload(header((byte) 2, SMALL, FP), fixed, bm, new byte[4 * values]);
    }

    @Test
    void wellFormedHandWrittenPayloadsDecode() {
        float[] y = small.decode(varintPayload(2, varint(3), varint(16), floats(1f, 2f)));
        assertEquals(1f, y[3]);
        assertEquals(2f, y[19]);
        assertEquals(SMALL, small.decode(bitmapPayload(2, 0b101, 2)).length);
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        CompressFixtures.rejectsTruncationAndTrailing(small, small.encode(CompressFixtures.vector(
                new io.fedprune.core.model.ParameterLayout(java.util.List.of(new io.fedprune.core.model.ParameterSegment(
                        "w", 0, io.fedprune.core.model.SegmentKind.DENSE, 0, SMALL, new long[] {SMALL}))), 0.2, 1)));
        CompressFixtures.rejectsTruncationAndTrailing(small, bitmapPayload(3, 0b111, 3));
    }

    @Test
    void rejectsWrongLayoutLengthAndFormat() {
        byte[] p = small.encode(new float[SMALL]);
        rejects(new SparseFloat32Codec(SMALL, FP + 1), p, "fingerprint");
        rejects(new SparseFloat32Codec(SMALL + 1, FP), p, "declares");
        rejects(new DenseFloat32Codec(SMALL, FP), p, "format id");
        rejects(small, new DenseFloat32Codec(SMALL, FP).encode(new float[SMALL]), "format id");
    }

    @Test
    void rejectsOutOfRangeIndexStructures() {
        rejects(small, varintPayload(1, varint(SMALL), floats(1f)), "out of range");
        rejects(small, varintPayload(2, varint(19), varint(1), floats(1f, 2f)), "out of range");
        rejects(small, varintPayload(2, varint(4), varint(0), floats(1f, 2f)), "not strictly increasing");
        rejects(small, varintPayload(SMALL + 1, new byte[200]), "exceeds the vector length");
        rejects(small, varintPayload(-1), "negative");
        rejects(small, varintPayload(1, new byte[] {(byte) 0x83, 0x00}, floats(1f)), "not minimally encoded");
        rejects(small, varintPayload(1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
                floats(1f)), "exceeds 31 bits");
        rejects(small, bitmapPayload(2, 0b111, 2), "bitmap marks 3");
        rejects(small, bitmapPayload(1, 1 << 20, 1), "beyond the vector length");
        byte[] badFlag = bitmapPayload(0, 0, 0);
        badFlag[PayloadHeader.SIZE] = 7;
        rejects(small, badFlag, "checksum");
        rejects(small, CompressFixtures.sealed(badFlag), "flag");
    }

    @Test
    void hugeDeclaredCountIsRejectedBeforeAllocating() {
        SparseFloat32Codec big = new SparseFloat32Codec(Integer.MAX_VALUE - 8, FP);
        byte[] fixed = new byte[5];
        fixed[0] = 1;
        le(fixed).putInt(1, Integer.MAX_VALUE - 9);
        byte[] p = payload(header((byte) 2, Integer.MAX_VALUE - 8, FP), fixed, varint(0));
        rejects(big, p, "truncated");
    }

    private static byte[] floats(float... v) {
        byte[] b = new byte[4 * v.length];
        for (int i = 0; i < v.length; i++) {
            le(b).putFloat(4 * i, v[i]);
        }
        return b;
    }
}
