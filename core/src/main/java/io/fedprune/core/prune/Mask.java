package io.fedprune.core.prune;

import java.util.Arrays;

/**
 * Which entries of a flat parameter vector are kept: an immutable bitset, one bit per parameter
 * (a 159k-parameter model's mask is 20 KB). Bit i set means parameter i is kept.
 */
public final class Mask {
    private final long[] words;
    private final int size;
    private final int cardinality;

    private Mask(long[] words, int size) {
        this.words = words;
        this.size = size;
        int c = 0;
        for (long w : words) {
            c += Long.bitCount(w);
        }
        this.cardinality = c;
    }

    /** Keeps everything. */
    public static Mask all(int size) {
        checkSize(size);
        long[] w = new long[wordCount(size)];
        Arrays.fill(w, -1L);
        if (size % 64 != 0 && w.length > 0) {
            w[w.length - 1] = (1L << (size % 64)) - 1;
        }
        return new Mask(w, size);
    }

    /** Keeps nothing. */
    public static Mask none(int size) {
        checkSize(size);
        return new Mask(new long[wordCount(size)], size);
    }

    /** Keeps the given indices (any order, no duplicates needed). */
    public static Mask fromIndices(int size, int[] indices) {
        checkSize(size);
        long[] w = new long[wordCount(size)];
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException("mask index " + i + " out of range [0, " + size + ")");
            }
            w[i >>> 6] |= 1L << i;
        }
        return new Mask(w, size);
    }

    /** From raw little-endian bit words (bit i of the vector is bit i%64 of word i/64). */
    public static Mask fromWords(int size, long[] words) {
        checkSize(size);
        if (words.length != wordCount(size)) {
            throw new IllegalArgumentException("a mask of " + size + " bits needs " + wordCount(size) + " words, got "
                    + words.length);
        }
        if (size % 64 != 0 && words.length > 0 && (words[words.length - 1] >>> (size % 64)) != 0) {
            throw new IllegalArgumentException("mask words set bits beyond size " + size);
        }
        return new Mask(words.clone(), size);
    }

    /** Keeps the non-zero entries of {@code params}. */
    public static Mask nonZero(float[] params) {
        long[] w = new long[wordCount(params.length)];
        for (int i = 0; i < params.length; i++) {
            if (params[i] != 0f) {
                w[i >>> 6] |= 1L << i;
            }
        }
        return new Mask(w, params.length);
    }

    public int size() {
        return size;
    }

    /** Number of kept entries. */
    public int cardinality() {
        return cardinality;
    }

    /** Kept fraction, in [0, 1]. */
    public double density() {
        return size == 0 ? 1.0 : (double) cardinality / size;
    }

    public boolean get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("mask index " + i + " out of range [0, " + size + ")");
        }
        return (words[i >>> 6] & (1L << i)) != 0;
    }

    /** Zeroes, in place, every entry of {@code params} the mask does not keep. */
    public void applyTo(float[] params) {
        if (params.length != size) {
            throw new IllegalArgumentException("mask of " + size + " applied to " + params.length + " parameters");
        }
        for (int wi = 0; wi < words.length; wi++) {
            long w = words[wi];
            if (w == -1L) {
                continue;
            }
            int base = wi << 6;
            int end = Math.min(base + 64, size);
            for (int i = base; i < end; i++) {
                if ((w & (1L << i)) == 0) {
                    params[i] = 0f;
                }
            }
        }
    }

    /** Kept indices in ascending order. */
    public int[] indices() {
        int[] out = new int[cardinality];
        int k = 0;
        for (int wi = 0; wi < words.length; wi++) {
            long w = words[wi];
            while (w != 0) {
                int bit = Long.numberOfTrailingZeros(w);
                out[k++] = (wi << 6) + bit;
                w &= w - 1;
            }
        }
        return out;
    }

    /** A copy of the bit words. */
    public long[] words() {
        return words.clone();
    }

    /** The bit words as little-endian bytes, 8 per 64 entries: how a mask travels with a sub-model. */
    public byte[] toBytes() {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(words.length * Long.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.asLongBuffer().put(words);
        return out.array();
    }

    /**
     * The mask of {@code size} entries written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if the length does not fit {@code size} or bits beyond it are set
     */
    public static Mask fromBytes(int size, byte[] bytes) {
        checkSize(size);
        if (bytes.length != wordCount(size) * Long.BYTES) {
            throw new IllegalArgumentException("a mask of " + size + " entries is " + wordCount(size) * Long.BYTES
                    + " bytes, got " + bytes.length);
        }
        long[] w = new long[wordCount(size)];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
        return fromWords(size, w);
    }

    public Mask and(Mask other) {
        checkSame(other);
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & other.words[i];
        }
        return new Mask(w, size);
    }

    public Mask or(Mask other) {
        checkSame(other);
        long[] w = new long[words.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] | other.words[i];
        }
        return new Mask(w, size);
    }

    /** True if every entry kept here is kept by {@code other} (nested sub-models). */
    public boolean isSubsetOf(Mask other) {
        checkSame(other);
        for (int i = 0; i < words.length; i++) {
            if ((words[i] & ~other.words[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private void checkSame(Mask other) {
        if (other.size != size) {
            throw new IllegalArgumentException("masks of different sizes: " + size + " and " + other.size);
        }
    }

    private static int wordCount(int size) {
        return (size + 63) >>> 6;
    }

    private static void checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("mask size must be >= 0, got " + size);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.size == size && Arrays.equals(m.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "Mask[" + cardinality + "/" + size + " kept]";
    }
}
