package io.fedprune.core.compress;

import java.nio.ByteBuffer;
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
        int[] codes = new int[values.length];
        int from = 0;
        for (int end : groupEnds) {
            float min = 0f;
            float max = 0f;
            for (int i = from; i < end; i++) {
                float v = values[i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("cannot quantize non-finite value " + v + " at position " + i);
                }
                if (i == from || v < min) {
                    min = v;
                }
                if (i == from || v > max) {
                    max = v;
                }
            }
            out.putFloat(min).putFloat(max);
            double step = step(min, max, bits);
            if (stochastic || step == 0) {
                for (int i = from; i < end; i++) {
                    codes[i] = code(values[i], min, max);
                }
            } else {
                // code() for deterministic rounding with the grid hoisted out of the loop: same arithmetic.
                long top = (1 << bits) - 1;
                for (int i = from; i < end; i++) {
                    double t = ((double) values[i] - min) / step;
                    long c = (long) Math.floor(t + 0.5);
                    codes[i] = (int) Math.max(0, Math.min(top, c));
                }
            }
            from = end;
        }
        if (from != values.length) {
            throw new IllegalArgumentException("groups end at " + from + ", values have " + values.length);
        }
        BitPacking.pack(codes, codes.length, bits, out);
    }

    /** Reads a block written by {@link #write} for {@code count} values and {@code groupEnds}. */
    public static float[] read(ByteBuffer in, int count, int[] groupEnds, int bits) {
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
        int[] codes = BitPacking.unpack(in, count, bits, "quantized codes");
        float[] out = new float[count];
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
        return out;
    }
}
