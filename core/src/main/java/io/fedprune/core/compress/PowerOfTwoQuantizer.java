package io.fedprune.core.compress;

import java.nio.ByteBuffer;

/**
 * Rounds each value to 0 or ±2^k with k in [minExp, maxExp] (a multiply becomes a shift on the
 * receiving device). Code: sign bit above an exponent code e, where e = 0 means zero and
 * e = 1..E means 2^(minExp + e - 1), E = maxExp - minExp + 1; {@link #bits()} = 1 + bits for
 * 0..E. Zero stays exactly zero.
 *
 * <p>Rounding is to the nearest representable value in linear terms: between 2^k and 2^(k+1) the
 * threshold is 1.5 * 2^k, which minimises the worst relative error. Error bound:
 * <ul>
 *   <li>2^minExp <= |x| <= 2^maxExp: {@code |x - q(x)| <= |x| / 3} (relative error at most 1/3,
 *       reached at |x| = 1.5 * 2^k);</li>
 *   <li>|x| < 2^minExp: q(x) is 0 or ±2^minExp, whichever is nearer, so
 *       {@code |x - q(x)| <= 2^(minExp - 1)};</li>
 *   <li>|x| > 2^maxExp: clipped to ±2^maxExp.</li>
 * </ul>
 */
public final class PowerOfTwoQuantizer {
    /** Default range 2^-28 .. 2^2: 31 exponents, so 6-bit codes, covering weights and updates. */
    public static final int DEFAULT_MIN_EXP = -28;
    public static final int DEFAULT_MAX_EXP = 2;
    /** Relative error bound inside the exponent range. */
    public static final double RELATIVE_ERROR_BOUND = 1.0 / 3.0;

    private final int minExp;
    private final int maxExp;
    private final int expBits;

    public PowerOfTwoQuantizer(int minExp, int maxExp) {
        // -149 .. 127 are the exponents of non-zero float32 powers of two (subnormals included).
        if (minExp < -149 || maxExp > 127 || minExp > maxExp) {
            throw new IllegalArgumentException("exponent range must satisfy -149 <= minExp <= maxExp <= 127, got ["
                    + minExp + ", " + maxExp + "]");
        }
        this.minExp = minExp;
        this.maxExp = maxExp;
        this.expBits = 32 - Integer.numberOfLeadingZeros(maxExp - minExp + 1);
    }

    public PowerOfTwoQuantizer() {
        this(DEFAULT_MIN_EXP, DEFAULT_MAX_EXP);
    }

    public int minExp() {
        return minExp;
    }

    public int maxExp() {
        return maxExp;
    }

    /** Bits per code: one sign bit plus the exponent code. */
    public int bits() {
        return 1 + expBits;
    }

    /** The code of {@code x}; throws IllegalArgumentException for NaN or infinity. */
    public int code(float x) {
        if (!Float.isFinite(x)) {
            throw new IllegalArgumentException("cannot quantize non-finite value " + x);
        }
        double a = Math.abs((double) x);
        if (a < Math.scalb(1.0, minExp - 1)) {
            return 0; // nearer to zero than to 2^minExp (also covers x == 0 and -0)
        }
        int k;
        if (a >= Math.scalb(1.0, maxExp)) {
            k = maxExp;
        } else {
            k = Math.getExponent(a); // floor(log2 a), exact for every float value as a double
            if (a >= 1.5 * Math.scalb(1.0, k)) {
                k++;
            }
            k = Math.max(minExp, Math.min(maxExp, k));
        }
        int sign = x < 0 ? 1 : 0;
        return (sign << expBits) | (k - minExp + 1);
    }

    /** The value of a code; throws PayloadFormatException for a code this range never produces. */
    public float value(int code) {
        int e = code & ((1 << expBits) - 1);
        int sign = code >>> expBits;
        if (sign > 1 || e > maxExp - minExp + 1) {
            throw new PayloadFormatException("power-of-two code " + code + " out of range for exponents [" + minExp
                    + ", " + maxExp + "]");
        }
        if (e == 0) {
            if (sign != 0) {
                throw new PayloadFormatException("power-of-two code " + code + " is a negative zero, never encoded");
            }
            return 0f;
        }
        float v = (float) Math.scalb(1.0, minExp + e - 1);
        return sign == 1 ? -v : v;
    }

    public float quantize(float x) {
        return value(code(x));
    }

    public long blockBytes(int count) {
        return BitPacking.packedBytes(count, bits());
    }

    public void write(float[] values, ByteBuffer out) {
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = code(values[i]);
        }
        BitPacking.pack(codes, codes.length, bits(), out);
    }

    public float[] read(ByteBuffer in, int count) {
        int[] codes = BitPacking.unpack(in, count, bits(), "power-of-two codes");
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = value(codes[i]);
        }
        return out;
    }
}
