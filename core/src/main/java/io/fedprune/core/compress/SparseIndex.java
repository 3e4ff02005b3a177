package io.fedprune.core.compress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

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
     *
     * <p>One step per word, not per position: within a word every gap but the first is below 64,
     * i.e. one varint byte, so a word adds its bit count plus the extra bytes of the gap from the
     * previous word's last position to its own first one. (A loop over the set bits mispredicts
     * its exit about once per word and took ~6x longer at density 0.1.)
     */
    static long varintBytes(long[] words, long cap) {
        long total = 0;
        int prev = 0; // the first index is coded as a gap from 0
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            if (word != 0) {
                int base = w << 6;
                total += Long.bitCount(word) - 1 + Wire.varintSize(base + Long.numberOfTrailingZeros(word) - prev);
                prev = base + 63 - Long.numberOfLeadingZeros(word);
                if (total >= cap) {
                    return total;
                }
            }
        }
        return total;
    }

    /** Bytes {@link #write} produces: the fixed part plus the smaller of the two structures. */
    static long size(int[] indices, int length) {
        return FIXED + Math.min(bitmapBytes(length), varintBytes(indices));
    }

    /**
     * Bytes of the index structure proper (after the fixed part) for {@code count} positions in
     * {@code words}: the bitmap's ceil(W/8), or the varint bytes when those are fewer. It equals
     * {@link #bitmapBytes} exactly when the bitmap is chosen (a tie goes to the bitmap), so the
     * writer can tell the choice from it without scanning the words again.
     */
    static long structureBytes(long[] words, int count, int length) {
        long nb = bitmapBytes(length);
        // Every varint takes at least one byte: with count >= nb the bitmap wins without looking.
        return count >= nb ? nb : Math.min(nb, varintBytes(words, nb));
    }

    /** {@link #structureBytes(long[], int, int)} from a {@link Scan}, sizing varints from its indices if it has them. */
    static long structureBytes(Scan scan, int length) {
        long nb = bitmapBytes(length);
        if (scan.count() >= nb || scan.indices() == null) {
            return structureBytes(scan.words(), scan.count(), length);
        }
        return Math.min(nb, varintBytes(scan.indices()));
    }

    /** Bytes of the structure for these positions: the fixed part plus the smaller structure. */
    static long size(long[] words, int count, int length) {
        return FIXED + structureBytes(words, count, length);
    }

    /** Entries per block of the presence scan; the strategy is chosen per block. */
    private static final int BLOCK = 4096;
    /**
     * A block with fewer non-zeros than this (density below 1/32) is scanned for the next
     * non-zero with {@link Arrays#mismatch} against zeros, an intrinsic that compares 32 bytes per
     * instruction but took ~35 ns per call on the JMH machine (density 0.01, scan included);
     * denser blocks use the branch-free per-entry scan (~0.8 ns per entry there). Measured
     * break-even: density ~0.03 (0.02 ran ~1.5x faster skipping, 0.05 ~1.4x slower).
     */
    private static final int SPARSE_BLOCK = BLOCK / 32;
    private static final float[] ZEROS = new float[BLOCK];

    /**
     * Presence words of the non-zero entries of {@code values} ({@code -0.0f} counts as zero, NaN
     * as non-zero). Per block of {@value #BLOCK} entries the scan adapts to the density of the
     * previous block; both strategies produce the same words, so the choice affects only speed.
     */
    static long[] presence(float[] values) {
        return scan(values).words();
    }

    /**
     * The non-zero positions of a vector: presence words, their count, and, when the scan met
     * them one by one (every block but possibly the first was sparse), also the ascending
     * indices, else null. With the indices, the varint sizing and writing and the value gather
     * run over a plain array instead of over mostly empty words, whose set bits are found
     * through branches that mispredict about once per word at low density.
     */
    record Scan(long[] words, int count, int[] indices) {
    }

    /** A growing list of ascending indices. */
    private static final class Indices {
        int[] a = new int[256];
        int n;

        void add(int i) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = i;
        }

        /** Adds the positions marked in words [fromWord, toWord). */
        void addAll(long[] words, int fromWord, int toWord) {
            for (int w = fromWord; w < toWord; w++) {
                long word = words[w];
                while (word != 0) {
                    add((w << 6) + Long.numberOfTrailingZeros(word));
                    word &= word - 1;
                }
            }
        }
    }

    /** {@link #presence}, with the count and, at low density, the indices: see {@link Scan}. */
    static Scan scan(float[] values) {
        int n = values.length;
        long[] words = new long[words(n)];
        Indices list = new Indices(); // null once a dense block after the first has been scanned
        int count = 0;
        int blocks = n / BLOCK;
        int last = Integer.MAX_VALUE; // non-zeros in the previous block: start with the dense scan
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK;
            if (last < SPARSE_BLOCK) {
                last = skipZeros(values, from, from + BLOCK, words, list);
            } else {
                last = denseWords(values, from >>> 6, (from + BLOCK) >>> 6, words);
                if (list != null && b == 0 && last < SPARSE_BLOCK) {
                    list.addAll(words, 0, BLOCK >>> 6); // switching to the sparse scan: few to list
                } else {
                    list = null;
                }
            }
            count += last;
        }
        int from = blocks * BLOCK;
        int fullWords = n >>> 6;
        count += denseWords(values, from >>> 6, fullWords, words);
        if ((n & 63) != 0) {
            int base = fullWords << 6;
            long word = 0;
            for (int j = 0; base + j < n; j++) {
                word |= (long) nonZero(values[base + j]) << j;
            }
            words[fullWords] = word;
            count += Long.bitCount(word);
        }
        if (list != null) {
            list.addAll(words, from >>> 6, words.length); // the tail, under one block
        }
        return new Scan(words, count, list == null ? null : Arrays.copyOf(list.a, list.n));
    }

    /** 1 if {@code v != 0f} (NaN included, -0.0f excluded), else 0, without a branch: |bits| != 0. */
    private static int nonZero(float v) {
        return ((Float.floatToRawIntBits(v) & 0x7fffffff) + 0x7fffffff) >>> 31;
    }

    /**
     * Bits 0..7 = whether entries i..i+7 are non-zero. Constant shifts and a balanced OR tree:
     * the former loop's {@code word |= bit << j} had a variable shift and one serial dependency
     * chain through {@code word} per entry, which made the scan ~1.7x slower.
     */
    private static long flags8(float[] v, int i) {
        return (nonZero(v[i]) | nonZero(v[i + 1]) << 1) | (nonZero(v[i + 2]) << 2 | nonZero(v[i + 3]) << 3)
                | ((nonZero(v[i + 4]) << 4 | nonZero(v[i + 5]) << 5) | (nonZero(v[i + 6]) << 6 | nonZero(v[i + 7]) << 7));
    }

    /** Fills words [fromWord, toWord) from their 64 entries each; returns the positions marked. */
    private static int denseWords(float[] v, int fromWord, int toWord, long[] words) {
        int marked = 0;
        for (int w = fromWord; w < toWord; w++) {
            int b = w << 6;
            long lo = (flags8(v, b) | flags8(v, b + 8) << 8) | (flags8(v, b + 16) << 16 | flags8(v, b + 24) << 24);
            long hi = (flags8(v, b + 32) | flags8(v, b + 40) << 8) | (flags8(v, b + 48) << 16 | flags8(v, b + 56) << 24);
            long word = lo | hi << 32;
            words[w] = word;
            marked += Long.bitCount(word);
        }
        return marked;
    }

    /**
     * Marks the non-zeros of entries [from, to) (whole words) by jumping from one to the next with
     * {@link Arrays#mismatch} against +0.0f: it stops at the first entry whose bits are not all
     * zero, i.e. at a non-zero or at a -0.0f, which is then skipped. Returns the positions marked;
     * adds them to {@code list} too unless it is null.
     */
    private static int skipZeros(float[] v, int from, int to, long[] words, Indices list) {
        int marked = 0;
        int i = from;
        while (i < to) {
            int m = Arrays.mismatch(v, i, to, ZEROS, 0, to - i);
            if (m < 0) {
                break;
            }
            i += m;
            if (Float.floatToRawIntBits(v[i]) != 0x80000000) {
                words[i >>> 6] |= 1L << i;
                marked++;
                if (list != null) {
                    list.add(i);
                }
            }
            i++;
        }
        return marked;
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

    /** For each of the ascending {@code ends}, how many positions marked in {@code words} lie below it. */
    static int[] ranks(long[] words, int[] ends) {
        int[] ranks = new int[ends.length];
        int w = 0;
        int below = 0; // positions in words [0, w)
        for (int g = 0; g < ends.length; g++) {
            int end = ends[g];
            for (; w < end >>> 6; w++) {
                below += Long.bitCount(words[w]);
            }
            int partial = end & 63;
            ranks[g] = below + (partial == 0 ? 0 : Long.bitCount(words[w] & ((1L << partial) - 1)));
        }
        return ranks;
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
        long structure = structureBytes(words, count, length);
        int size = Math.toIntExact(FIXED + structure);
        if (out.hasArray() && out.order() == ByteOrder.LITTLE_ENDIAN) {
            int p = out.arrayOffset() + out.position();
            if (size > out.remaining()) {
                throw new java.nio.BufferOverflowException();
            }
            int end = write(words, count, length, structure, out.array(), p);
            out.position(end - out.arrayOffset());
        } else {
            byte[] tmp = new byte[size];
            write(words, count, length, structure, tmp, 0);
            out.put(tmp);
        }
    }

    /** Writes the structure into {@code out} at {@code pos}; returns the position after it. */
    static int write(long[] words, int count, int length, byte[] out, int pos) {
        return write(words, count, length, structureBytes(words, count, length), out, pos);
    }

    /** {@link #write(long[], int, int, long, byte[], int)} for a {@link Scan}: varints from its indices if it has them. */
    static int write(Scan scan, int length, long structure, byte[] out, int pos) {
        if (scan.indices() == null || structure == bitmapBytes(length)) {
            return write(scan.words(), scan.count(), length, structure, out, pos);
        }
        out[pos] = VARINT;
        INT_LE.set(out, pos + 1, scan.count());
        return writeVarints(scan.indices(), out, pos + FIXED);
    }

    /**
     * The delta varints of ascending {@code indices} at {@code p}; returns the end. Gaps below
     * 2^14 (all but a handful at any density where varints win) are written without a branch on
     * their size, which is a coin flip near density 0.01: both bytes go out, and the position
     * advances by one or two, so a one-byte gap's second byte is overwritten by the next varint.
     * The last varint is written exactly, so nothing is written past the end.
     */
    static int writeVarints(int[] indices, byte[] out, int p) {
        int prev = 0;
        int last = indices.length - 1;
        for (int k = 0; k < last; k++) {
            int v = indices[k] - prev; // the first index is coded as itself, a gap from 0
            prev = indices[k];
            if (v < 0x4000) {
                int more = (v + (0x4000 - 0x80)) >>> 14; // 1 if v >= 0x80, else 0
                out[p] = (byte) (v & 0x7f | more << 7);
                out[p + 1] = (byte) (v >>> 7);
                p += 1 + more;
            } else {
                p = putVarint(out, p, v);
            }
        }
        return last < 0 ? p : putVarint(out, p, indices[last] - prev);
    }

    private static int putVarint(byte[] out, int p, int v) {
        while ((v & ~0x7f) != 0) {
            out[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    /**
     * {@link #write(long[], int, int, byte[], int)} with {@code structure} =
     * {@link #structureBytes} already known (it decides bitmap vs varints, so the words are not
     * scanned for varint sizes a second time).
     */
    static int write(long[] words, int count, int length, long structure, byte[] out, int pos) {
        boolean bitmap = structure == bitmapBytes(length);
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

    /**
     * The positions of a sparse structure as read and validated: the presence words for a bitmap
     * (the values can be placed straight from them, with no index array), the indices for
     * varints; exactly one of the two is non-null.
     */
    record Positions(long[] words, int[] indices, int count) {
        /** The ascending indices, whichever way they were sent. */
        int[] toIndices() {
            return indices != null ? indices : SparseIndex.indices(words, count);
        }
    }

    /** Reads and validates the structure: every index in range, strictly increasing, count consistent. */
    static int[] read(ByteBuffer in, int length) {
        return readPositions(in, length).toIndices();
    }

    /** {@link #read}, keeping a bitmap as presence words. */
    static Positions readPositions(ByteBuffer in, int length) {
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
            Wire.Bytes bitmap = Wire.take(in, nb, "bitmap of " + length + " bits");
            byte[] src = bitmap.array();
            int p = bitmap.offset();
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
            return new Positions(words, null, count);
        }
        if (flag == VARINT) {
            // Every varint takes at least one byte: bounds the allocation by what was sent.
            Wire.need(in, count, count + " varint indices");
            if (!in.hasArray()) {
                return new Positions(null, readVarintsSlow(in, count, length), count);
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
            return new Positions(null, idx, count);
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
