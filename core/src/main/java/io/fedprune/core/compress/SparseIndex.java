package io.fedprune.core.compress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The position structure of a sparse payload: a flag byte, the entry count (int32), then EITHER a
 * bitmap of ceil(W/8) bytes (bit i set = entry i present, LSB first) OR the indices as unsigned
 * LEB128 varints, the first index and then the gaps between consecutive indices. The encoder
 * takes whichever is smaller for this vector (the bitmap on a tie, as it has a fixed size): the
 * bitmap wins above roughly 1/8 density, varints below.
 *
 * <p>Internally the positions are handled as presence words (bit i of word i/64 = entry i, i.e.
 * the bitmap read as little-endian longs), which both structures are written from and read into.
 */
final class SparseIndex {
    static final byte BITMAP = 0;
    static final byte VARINT = 1;
    /** Flag byte + int32 count. */
    static final int FIXED = 5;

    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private SparseIndex() {
    }

    static int bitmapBytes(int length) {
        return (int) ((length + 7L) / 8);
    }

    static int words(int length) {
        return (int) ((length + 63L) >>> 6);
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

    /**
     * Varint bytes of the positions in {@code words}, or any value >= {@code cap} once the running
     * total reaches {@code cap} (the caller only needs to know the bitmap is not larger).
     */
    static long varintBytes(long[] words, long cap) {
        long total = 0;
        int prev = 0;
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                int i = base + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                total += Wire.varintSize(i - prev); // the first index is a gap from 0
                prev = i;
            }
            if (total >= cap) {
                return total;
            }
        }
        return total;
    }

    /** Bytes {@link #write} produces: the fixed part plus the smaller of the two structures. */
    static long size(int[] indices, int length) {
        return FIXED + Math.min(bitmapBytes(length), varintBytes(indices));
    }

    /** Whether the bitmap is the structure for {@code count} positions in {@code words}. */
    static boolean useBitmap(long[] words, int count, int length) {
        long nb = bitmapBytes(length);
        // Every varint takes at least one byte: with count >= nb the bitmap wins without looking.
        return count >= nb || nb <= varintBytes(words, nb);
    }

    /** Bytes of the structure for these positions: the fixed part plus the smaller structure. */
    static long size(long[] words, int count, int length) {
        long nb = bitmapBytes(length);
        if (count >= nb) {
            return FIXED + nb;
        }
        return FIXED + Math.min(nb, varintBytes(words, nb));
    }

    /** Presence words of the non-zero entries of {@code values} ({@code -0.0f} counts as zero). */
    static long[] presence(float[] values) {
        int n = values.length;
        long[] words = new long[words(n)];
        int full = n >>> 6;
        for (int w = 0; w < full; w++) {
            int base = w << 6;
            long word = 0;
            for (int j = 0; j < 64; j++) {
                // |bits| != 0 <=> v != 0f (NaN included, -0.0f excluded), as a 0/1 without a branch.
                int a = Float.floatToRawIntBits(values[base + j]) & 0x7fffffff;
                word |= (long) ((a + 0x7fffffff) >>> 31) << j;
            }
            words[w] = word;
        }
        if ((n & 63) != 0) {
            int base = full << 6;
            long word = 0;
            for (int j = 0; base + j < n; j++) {
                int a = Float.floatToRawIntBits(values[base + j]) & 0x7fffffff;
                word |= (long) ((a + 0x7fffffff) >>> 31) << j;
            }
            words[full] = word;
        }
        return words;
    }

    /** Presence words of ascending indices below {@code length}. */
    static long[] presence(int[] indices, int length) {
        long[] words = new long[words(length)];
        for (int i : indices) {
            words[i >>> 6] |= 1L << i;
        }
        return words;
    }

    static int count(long[] words) {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The ascending positions marked in {@code words}, of which there are {@code count}. */
    static int[] indices(long[] words, int count) {
        int[] idx = new int[count];
        int k = 0;
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                idx[k++] = base + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return idx;
    }

    /** Non-zero positions of {@code values}, ascending ({@code -0.0f} counts as zero). */
    static int[] nonZeros(float[] values) {
        long[] words = presence(values);
        return indices(words, count(words));
    }

    static void write(int[] indices, int length, ByteBuffer out) {
        write(presence(indices, length), indices.length, length, out);
    }

    /** Writes the structure for {@code count} positions marked in {@code words}. */
    static void write(long[] words, int count, int length, ByteBuffer out) {
        int size = Math.toIntExact(size(words, count, length));
        if (out.hasArray() && out.order() == ByteOrder.LITTLE_ENDIAN) {
            int p = out.arrayOffset() + out.position();
            if (size > out.remaining()) {
                throw new java.nio.BufferOverflowException();
            }
            int end = write(words, count, length, out.array(), p);
            out.position(end - out.arrayOffset());
        } else {
            byte[] tmp = new byte[size];
            write(words, count, length, tmp, 0);
            out.put(tmp);
        }
    }

    /** Writes the structure into {@code out} at {@code pos}; returns the position after it. */
    static int write(long[] words, int count, int length, byte[] out, int pos) {
        boolean bitmap = useBitmap(words, count, length);
        out[pos] = bitmap ? BITMAP : VARINT;
        INT_LE.set(out, pos + 1, count);
        int p = pos + FIXED;
        if (bitmap) {
            int nb = bitmapBytes(length);
            int full = nb >>> 3;
            for (int w = 0; w < full; w++) {
                LONG_LE.set(out, p + (w << 3), words[w]);
            }
            p += full << 3;
            if (full < words.length) {
                long word = words[full];
                for (int b = full << 3; b < nb; b++) {
                    out[p++] = (byte) word;
                    word >>>= 8;
                }
            }
            return p;
        }
        int prev = 0;
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                int i = base + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                int v = i - prev; // the first index is coded as itself, a gap from 0
                prev = i;
                while ((v & ~0x7f) != 0) {
                    out[p++] = (byte) ((v & 0x7f) | 0x80);
                    v >>>= 7;
                }
                out[p++] = (byte) v;
            }
        }
        return p;
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
            byte[] src;
            int p;
            if (in.hasArray()) {
                src = in.array();
                p = in.arrayOffset() + in.position();
                in.position(in.position() + nb);
            } else {
                src = new byte[nb];
                in.get(src);
                p = 0;
            }
            if (length % 8 != 0 && (src[p + nb - 1] & 0xff) >>> (length % 8) != 0) {
                throw new PayloadFormatException("bitmap sets bits at or beyond the vector length " + length);
            }
            long[] words = new long[words(length)];
            int full = nb >>> 3;
            int marked = 0;
            for (int w = 0; w < full; w++) {
                long word = (long) LONG_LE.get(src, p + (w << 3));
                words[w] = word;
                marked += Long.bitCount(word);
            }
            if (full < words.length) {
                long word = 0;
                for (int b = full << 3, s = 0; b < nb; b++, s += 8) {
                    word |= (long) (src[p + b] & 0xff) << s;
                }
                words[full] = word;
                marked += Long.bitCount(word);
            }
            if (marked != count) {
                throw new PayloadFormatException("bitmap marks " + marked + " entries but the payload declares " + count);
            }
            return indices(words, count);
        }
        if (flag == VARINT) {
            // Every varint takes at least one byte: bounds the allocation by what was sent.
            Wire.need(in, count, count + " varint indices");
            if (!in.hasArray()) {
                return readVarintsSlow(in, count, length);
            }
            byte[] src = in.array();
            int off = in.arrayOffset();
            int p = off + in.position();
            int limit = off + in.limit();
            int[] idx = new int[count];
            long prev = -1;
            for (int k = 0; k < count; k++) {
                int v;
                byte b0 = p < limit ? src[p] : (byte) 0x80;
                if (b0 >= 0) {
                    v = b0;
                    p++;
                } else {
                    in.position(p - off);
                    v = Wire.getVarint(in, k);
                    p = off + in.position();
                }
                long i = nextIndex(k, prev, v, length);
                idx[k] = (int) i;
                prev = i;
            }
            in.position(p - off);
            return idx;
        }
        throw new PayloadFormatException("unknown sparse index flag " + flag + " (0 = bitmap, 1 = varint)");
    }

    private static int[] readVarintsSlow(ByteBuffer in, int count, int length) {
        int[] idx = new int[count];
        long prev = -1;
        for (int k = 0; k < count; k++) {
            long i = nextIndex(k, prev, Wire.getVarint(in, k), length);
            idx[k] = (int) i;
            prev = i;
        }
        return idx;
    }

    /** Entry k's index from the previous one and its gap (the first entry's "gap" is its index). */
    private static long nextIndex(int k, long prev, int gap, int length) {
        long i;
        if (k == 0) {
            i = gap;
        } else {
            if (gap == 0) {
                throw new PayloadFormatException("sparse indices not strictly increasing: entry " + k
                        + " repeats index " + prev);
            }
            i = prev + gap;
        }
        if (i >= length) {
            throw new PayloadFormatException("sparse index " + i + " (entry " + k + ") out of range [0, "
                    + length + ")");
        }
        return i;
    }
}
