package io.fedprune.core.compress;

import java.nio.ByteBuffer;

/**
 * The position structure of a sparse payload: a flag byte, the entry count (int32), then EITHER a
 * bitmap of ceil(W/8) bytes (bit i set = entry i present, LSB first) OR the indices as unsigned
 * LEB128 varints, the first index and then the gaps between consecutive indices. The encoder
 * takes whichever is smaller for this vector (the bitmap on a tie, as it has a fixed size): the
 * bitmap wins above roughly 1/8 density, varints below.
 */
final class SparseIndex {
    static final byte BITMAP = 0;
    static final byte VARINT = 1;
    /** Flag byte + int32 count. */
    static final int FIXED = 5;

    private SparseIndex() {
    }

    static int bitmapBytes(int length) {
        return (int) ((length + 7L) / 8);
    }

    /** Exact bytes of the varint index list for these ascending indices. */
    static long varintBytes(int[] indices) {
        long total = 0;
        int prev = 0;
        for (int k = 0; k < indices.length; k++) {
            total += Wire.varintSize(k == 0 ? indices[0] : indices[k] - prev);
            prev = indices[k];
        }
        return total;
    }

    /** Bytes {@link #write} produces: the fixed part plus the smaller of the two structures. */
    static long size(int[] indices, int length) {
        return FIXED + Math.min(bitmapBytes(length), varintBytes(indices));
    }

    /** Non-zero positions of {@code values}, ascending ({@code -0.0f} counts as zero). */
    static int[] nonZeros(float[] values) {
        int n = 0;
        for (float v : values) {
            if (v != 0f) {
                n++;
            }
        }
        int[] idx = new int[n];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0f) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    static void write(int[] indices, int length, ByteBuffer out) {
        boolean bitmap = bitmapBytes(length) <= varintBytes(indices);
        out.put(bitmap ? BITMAP : VARINT);
        out.putInt(indices.length);
        if (bitmap) {
            byte[] bits = new byte[bitmapBytes(length)];
            for (int i : indices) {
                bits[i >>> 3] |= (byte) (1 << (i & 7));
            }
            out.put(bits);
        } else {
            int prev = 0;
            for (int k = 0; k < indices.length; k++) {
                Wire.putVarint(out, k == 0 ? indices[0] : indices[k] - prev);
                prev = indices[k];
            }
        }
    }

    /** Reads and validates the structure: every index in range, strictly increasing, count consistent. */
    static int[] read(ByteBuffer in, int length) {
        Wire.need(in, FIXED, "sparse index flag and count");
        byte flag = in.get();
        int count = in.getInt();
        if (count < 0) {
            throw new PayloadFormatException("sparse entry count " + count + " is negative");
        }
        if (count > length) {
            throw new PayloadFormatException("sparse entry count " + count + " exceeds the vector length " + length);
        }
        if (flag == BITMAP) {
            int nb = bitmapBytes(length);
            Wire.need(in, nb, "bitmap of " + length + " bits");
            byte[] bits = new byte[nb];
            in.get(bits);
            if (length % 8 != 0 && (bits[nb - 1] & 0xff) >>> (length % 8) != 0) {
                throw new PayloadFormatException("bitmap sets bits at or beyond the vector length " + length);
            }
            int marked = 0;
            for (byte b : bits) {
                marked += Integer.bitCount(b & 0xff);
            }
            if (marked != count) {
                throw new PayloadFormatException("bitmap marks " + marked + " entries but the payload declares " + count);
            }
            int[] idx = new int[count];
            int k = 0;
            for (int i = 0; i < length; i++) {
                if ((bits[i >>> 3] & (1 << (i & 7))) != 0) {
                    idx[k++] = i;
                }
            }
            return idx;
        }
        if (flag == VARINT) {
            // Every varint takes at least one byte: bounds the allocation by what was sent.
            Wire.need(in, count, count + " varint indices");
            int[] idx = new int[count];
            long prev = -1;
            for (int k = 0; k < count; k++) {
                int v = Wire.getVarint(in, "index " + k);
                long i;
                if (k == 0) {
                    i = v;
                } else {
                    if (v == 0) {
                        throw new PayloadFormatException("sparse indices not strictly increasing: entry " + k
                                + " repeats index " + prev);
                    }
                    i = prev + v;
                }
                if (i >= length) {
                    throw new PayloadFormatException("sparse index " + i + " (entry " + k + ") out of range [0, "
                            + length + ")");
                }
                idx[k] = (int) i;
                prev = i;
            }
            return idx;
        }
        throw new PayloadFormatException("unknown sparse index flag " + flag + " (0 = bitmap, 1 = varint)");
    }
}
