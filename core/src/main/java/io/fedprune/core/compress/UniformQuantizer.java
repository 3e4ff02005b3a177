package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * b-bit uniform quantization on a min/max affine grid. For a group of values (the whole tensor,
 * or one {@link io.fedprune.core.model.ParameterSegment} with {@link Scale#PER_LAYER}) with
 * minimum m and maximum M, the grid is {@code g_k = m + k * step}, k = 0 .. 2^b - 1, with
 * {@code step = (M - m) / (2^b - 1)}; both endpoints are grid points, so the group's extremes are
 * exact. A group whose values are all equal has step 0 and decodes exactly.
 *
 * <p>Rounding: deterministic rounds to the nearest grid point (ties up), so
 * {@code |x - q(x)| <= step/2}; stochastic rounds up with probability equal to the fractional
 * position between the two neighbouring grid points, so {@code E[q(x)] = x} (unbiased) and
 * {@code |x - q(x)| < step}. Both bounds are in exact arithmetic; the decoded float32 adds at most
 * the rounding of the result to float (half an ulp of the group's largest magnitude).
 *
 * <p>Block layout (used by {@link QuantizedCodec} and {@link CodecChain}): per group a float32
 * min and float32 max, then all codes bit-packed ({@link BitPacking}). A stochastic quantizer
 * draws from one seeded stream across calls (reproducible for a given seed and call order; not
 * thread-safe).
 */
public final class UniformQuantizer {
    public static final int MIN_BITS = 1;
    public static final int MAX_BITS = 16;

    /** Whether one grid spans the whole vector or each layout segment gets its own. */
    public enum Scale { PER_TENSOR, PER_LAYER }

    private final int bits;
    private final boolean stochastic;
    private final SplittableRandom rng;

    private UniformQuantizer(int bits, boolean stochastic, long seed) {
        checkBits(bits);
        this.bits = bits;
        this.stochastic = stochastic;
        this.rng = stochastic ? new SplittableRandom(seed) : null;
    }

    public static UniformQuantizer deterministic(int bits) {
        return new UniformQuantizer(bits, false, 0);
    }

    public static UniformQuantizer stochastic(int bits, long seed) {
        return new UniformQuantizer(bits, true, seed);
    }

    static void checkBits(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("bit width must be in " + MIN_BITS + ".." + MAX_BITS + ", got " + bits);
        }
    }

    public int bits() {
        return bits;
    }

    public boolean isStochastic() {
        return stochastic;
    }

    /** Grid spacing for a group spanning [min, max] with {@code bits} bits. */
    public static double step(float min, float max, int bits) {
        return max > min ? ((double) max - min) / ((1 << bits) - 1) : 0.0;
    }

    /** The grid index for {@code x}, which must lie in [min, max]. */
    public int code(float x, float min, float max) {
        double step = step(min, max, bits);
        if (step == 0) {
            return 0;
        }
        int top = (1 << bits) - 1;
        double t = ((double) x - min) / step;
        long c;
        if (stochastic) {
            double fl = Math.floor(t);
            c = (long) fl + (rng.nextDouble() < t - fl ? 1 : 0);
        } else {
            c = (long) Math.floor(t + 0.5);
        }
        return (int) Math.max(0, Math.min(top, c));
    }

    /** The value grid index {@code code} stands for. */
    public static float value(int code, float min, float max, int bits) {
        return (float) (min + code * step(min, max, bits));
    }

    /** Bytes of a block of {@code count} values in {@code groups} groups. */
    public static long blockBytes(int count, int groups, int bits) {
        return 8L * groups + BitPacking.packedBytes(count, bits);
    }

    /**
     * Quantizes {@code values} and writes the block. {@code groupEnds} are the exclusive ends of
     * consecutive groups (ascending, the last equal to {@code values.length}); empty groups are
     * written as [0, 0].
     *
     * @throws IllegalArgumentException on a NaN or infinite value (it has no place on a grid)
     */
    public void write(float[] values, int[] groupEnds, ByteBuffer out) {
        int n = Math.toIntExact(blockBytes(values.length, groupEnds.length, bits));
        if (n > out.remaining()) {
            throw new java.nio.BufferOverflowException();
        }
        if (out.hasArray() && out.order() == ByteOrder.LITTLE_ENDIAN) {
            int p = out.arrayOffset() + out.position();
            write(values, groupEnds, out.array(), p);
            out.position(out.position() + n);
        } else {
            byte[] tmp = new byte[n];
            write(values, groupEnds, tmp, 0);
            if (out.order() == ByteOrder.BIG_ENDIAN) {
                // the ranges go out in the buffer's order, as putFloat wrote them (the codes are bytes)
                ByteBuffer le = ByteBuffer.wrap(tmp).order(ByteOrder.LITTLE_ENDIAN);
                ByteBuffer be = ByteBuffer.wrap(tmp).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < 2 * groupEnds.length; i++) {
                    be.putInt(4 * i, le.getInt(4 * i));
                }
            }
            out.put(tmp);
        }
    }

    private static float finite(float[] values, int i) {
        float v = values[i];
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("cannot quantize non-finite value " + v + " at position " + i);
        }
        return v;
    }

    /** Codes per chunk: a multiple of 8, so each chunk's codes start on a byte for any width. */
    private static final int CHUNK = 2048;

    /**
     * {@link #write(float[], int[], ByteBuffer)} into {@code out} at {@code pos}, which must have
     * {@link #blockBytes} of room; returns the position after the block. The codes go straight
     * into their bytes (8 bits) or through a small chunk buffer into their packed bytes, not
     * through one int per value.
     */
    int write(float[] values, int[] groupEnds, byte[] out, int pos) {
        return write(values, groupEnds, null, out, pos);
    }

    /**
     * As {@link #write(float[], int[], byte[], int)}; {@code ranges}, if not null, holds each
     * group's min and max as {@link #range} computes them, already found by the caller (who has
     * thereby also checked that every value is finite).
     */
    int write(float[] values, int[] groupEnds, float[] ranges, byte[] out, int pos) {
        int codesAt = pos + 8 * groupEnds.length;
        int top = (1 << bits) - 1;
        int[] chunk = bits == 8 ? null : new int[Math.min(CHUNK, values.length)];
        int filled = 0;
        int p = codesAt;
        int from = 0;
        for (int g = 0; g < groupEnds.length; g++) {
            int end = groupEnds[g];
            float min;
            float max;
            if (ranges != null) {
                min = ranges[2 * g];
                max = ranges[2 * g + 1];
            } else {
                long r = range(values, from, end);
                min = Float.intBitsToFloat((int) r);
                max = Float.intBitsToFloat((int) (r >>> 32));
            }
            SparseIndex.FLOAT_LE.set(out, pos + 8 * g, min);
            SparseIndex.FLOAT_LE.set(out, pos + 8 * g + 4, max);
            double step = step(min, max, bits);
            boolean exact = stochastic || step == 0; // code() per value: the stochastic stream, or all zeros
            // Codes in value order (the stochastic stream is drawn in that order, group by group).
            if (bits == 8) {
                if (exact) {
                    for (int i = from; i < end; i++) {
                        out[codesAt + i] = (byte) code(values[i], min, max);
                    }
                } else {
                    roundNearest8(values, from, end, min, step, out, codesAt);
                }
                from = end;
                continue;
            }
            for (int i = from; i < end; ) {
                int m = Math.min(end - i, CHUNK - filled);
                if (exact) {
                    for (int k = 0; k < m; k++) {
                        chunk[filled + k] = code(values[i + k], min, max);
                    }
                } else {
                    roundNearest(values, i, i + m, min, step, top, chunk, filled);
                }
                filled += m;
                i += m;
                if (filled == CHUNK) {
                    BitPacking.pack(chunk, CHUNK, bits, out, p);
                    p += CHUNK / 8 * bits;
                    filled = 0;
                }
            }
            from = end;
        }
        if (from != values.length) {
            throw new IllegalArgumentException("groups end at " + from + ", values have " + values.length);
        }
        if (chunk != null) {
            BitPacking.pack(chunk, filled, bits, out, p);
        }
        return codesAt + (int) BitPacking.packedBytes(values.length, bits);
    }

    /**
     * The range of values[from, to) as (min bits) | (max bits) << 32; [0, 0] when empty. The
     * first value, then replaced only by strictly smaller/larger ones, so of -0.0f and 0.0f the
     * first seen stays, as it always has. The first iteration is peeled rather than tested for
     * on every value, and finiteness is checked through the same two compares (~1.5x faster
     * than a test per value for each).
     *
     * @throws IllegalArgumentException at the first non-finite value
     */
    static long range(float[] values, int from, int to) {
        float min = 0f;
        float max = 0f;
        if (from < to) {
            min = values[from];
            max = min;
        }
        boolean nan = false;
        for (int i = from + 1; i < to; i++) {
            float v = values[i];
            // Two compares per value, rarely true, that also catch NaN (unordered): the update of
            // min (max) when v is below (above) it, else v must be NaN.
            if (!(v >= min)) {
                if (v < min) {
                    min = v;
                } else {
                    nan = true;
                }
            }
            if (!(v <= max)) {
                if (v > max) {
                    max = v;
                } else {
                    nan = true;
                }
            }
        }
        // An infinity would be the min or max; a NaN first value makes every compare unordered.
        if (nan || !Float.isFinite(min) || !Float.isFinite(max)) {
            for (int i = from; i < to; i++) {
                finite(values, i); // throws, naming the first non-finite value and its position
            }
        }
        return (Float.floatToRawIntBits(min) & 0xffffffffL) | (long) Float.floatToRawIntBits(max) << 32;
    }

    /** {@link #roundNearest} for 8 bits, each code straight into its byte at {@code codesAt + i}. */
    static void roundNearest8(float[] values, int from, int to, float min, double step, byte[] out, int codesAt) {
        for (int i = from; i < to; i++) {
            int c = (int) Math.floor(((double) values[i] - min) / step + 0.5);
            out[codesAt + i] = (byte) Math.max(0, Math.min(255, c));
        }
    }

    /**
     * Deterministic codes of values[from, to) into codes[at..], exactly as {@link #code} computes
     * them: {@code clamp(floor(fl(fl(v - min) / step) + 0.5), 0, top)}. The floor is converted
     * to int rather than long before clamping: the same code for every double (in range both
     * conversions agree; beyond the int range (int) saturates, which clamps to the same end; NaN
     * gives 0 either way), and the long conversion and long clamp measured ~2x slower here.
     *
     * <p>The division stays: a multiply by 1/step plus an exact-tie check (redo with the division
     * when t + 0.5 is within rounding error of an integer) was bit-identical but measured slower
     * than the division itself, whose latency the loop hides.
     */
    static void roundNearest(float[] values, int from, int to, float min, double step, int top, int[] codes, int at) {
        for (int i = from, k = at; i < to; i++, k++) {
            int c = (int) Math.floor(((double) values[i] - min) / step + 0.5);
            codes[k] = Math.max(0, Math.min(top, c));
        }
    }

    /** The codes part of {@link #read} for 8 bits: straight from the bytes, no int per code. */
    private static void read8(ByteBuffer in, int count, int[] groupEnds, float[] mins, float[] maxs, long[] words,
            float[] out) {
        Wire.Bytes b = Wire.take(in, count, "quantized codes");
        byte[] src = b.array();
        int p = b.offset();
        int from = 0;
        for (int g = 0; g < groupEnds.length; g++) {
            float min = mins[g];
            double step = step(min, maxs[g], 8);
            if (min == maxs[g]) {
                for (int i = from; i < groupEnds[g]; i++) {
                    if (src[p + i] != 0) {
                        throw new PayloadFormatException("code " + (src[p + i] & 0xff) + " in group " + g
                                + " whose range is a single value (only code 0 is valid)");
                    }
                }
            }
            if (words == null) {
                for (int i = from; i < groupEnds[g]; i++) {
                    out[i] = (float) (min + (src[p + i] & 0xff) * step); // value(), with the grid hoisted
                }
            } else { // the one group: code k to the k-th marked position
                int k = p;
                for (int w = 0; w < words.length; w++) {
                    long word = words[w];
                    int base = w << 6;
                    while (word != 0) {
                        out[base + Long.numberOfTrailingZeros(word)] = (float) (min + (src[k++] & 0xff) * step);
                        word &= word - 1;
                    }
                }
            }
            from = groupEnds[g];
        }
    }

    /** Reads a block written by {@link #write} for {@code count} values and {@code groupEnds}. */
    public static float[] read(ByteBuffer in, int count, int[] groupEnds, int bits) {
        // the bytes first: count is the receiver's model size, and a few forged bytes must not make
        // it allocate that (BoundedReadsTest: a 23-byte payload allocated 2 GB for a 2 GiB model)
        checkBits(bits);
        Wire.need(in, blockBytes(count, groupEnds.length, bits), "quantized block of " + count + " values");
        float[] out = new float[count];
        read(in, count, groupEnds, bits, null, out);
        return out;
    }

    /**
     * {@link #read}, into {@code out}: value k at out[k], or, with {@code words} (8 bits and one
     * group only), at the k-th position marked in {@code words}, so a sparse decoder needs no
     * intermediate array of values.
     */
    static void read(ByteBuffer in, int count, int[] groupEnds, int bits, long[] words, float[] out) {
        if (words != null && (bits != 8 || groupEnds.length != 1)) {
            throw new IllegalArgumentException("positions only for one group of 8-bit codes");
        }
        checkBits(bits);
        Wire.need(in, blockBytes(count, groupEnds.length, bits), "quantized block of " + count + " values");
        float[] mins = new float[groupEnds.length];
        float[] maxs = new float[groupEnds.length];
        for (int g = 0; g < groupEnds.length; g++) {
            mins[g] = in.getFloat();
            maxs[g] = in.getFloat();
            // !(min <= max) also catches NaN.
            if (!Float.isFinite(mins[g]) || !Float.isFinite(maxs[g]) || !(mins[g] <= maxs[g])) {
                throw new PayloadFormatException("quantization range of group " + g + " is [" + mins[g] + ", "
                        + maxs[g] + "]: must be finite with min <= max");
            }
        }
        if (bits == 8) {
            read8(in, count, groupEnds, mins, maxs, words, out);
            return;
        }
        int[] codes = BitPacking.unpack(in, count, bits, "quantized codes");
        int from = 0;
        for (int g = 0; g < groupEnds.length; g++) {
            float min = mins[g];
            double step = step(min, maxs[g], bits);
            if (min == maxs[g]) {
                for (int i = from; i < groupEnds[g]; i++) {
                    if (codes[i] != 0) {
                        throw new PayloadFormatException("code " + codes[i] + " in group " + g
                                + " whose range is a single value (only code 0 is valid)");
                    }
                }
            }
            for (int i = from; i < groupEnds[g]; i++) {
                out[i] = (float) (min + codes[i] * step); // value(), with the grid hoisted
            }
            from = groupEnds[g];
        }
    }
}
