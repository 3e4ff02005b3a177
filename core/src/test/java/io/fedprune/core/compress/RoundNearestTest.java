package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link UniformQuantizer#roundNearest} (int conversion and clamp) against the arithmetic it
 * replaces (long conversion and clamp, as {@link UniformQuantizer#code} does it), value for
 * value: random grids and values, exact grid midpoints, the floats on either side of every
 * midpoint, grid points, the extremes, values outside the range (clamped), subnormal and huge
 * ranges, and all widths 1..16. It also caught a plain reciprocal multiply, which rounds
 * differently near ties.
 */
class RoundNearestTest {

    /** The arithmetic of {@link UniformQuantizer#code} for deterministic rounding, as it was. */
    static int reference(float v, float min, double step, int top) {
        double t = ((double) v - min) / step;
        long c = (long) Math.floor(t + 0.5);
        return (int) Math.max(0, Math.min(top, c));
    }

    private static void check(float[] values, float min, float max, int bits) {
        double step = UniformQuantizer.step(min, max, bits);
        if (step == 0) {
            return;
        }
        int top = (1 << bits) - 1;
        int[] codes = new int[values.length + 3];
        UniformQuantizer.roundNearest(values, 0, values.length, min, step, top, codes, 3);
        byte[] bytes = new byte[values.length + 5];
        if (bits == 8) {
            UniformQuantizer.roundNearest8(values, 0, values.length, min, step, bytes, 5);
        }
        for (int i = 0; i < values.length; i++) {
            int want = reference(values[i], min, step, top);
            if (want != codes[i + 3]) {
                assertEquals(want, codes[i + 3], "v=" + values[i] + " (" + Float.floatToRawIntBits(values[i]) + ") min=" + min
                        + " max=" + max + " bits=" + bits);
            }
            if (bits == 8 && want != (bytes[i + 5] & 0xff)) {
                assertEquals(want, bytes[i + 5] & 0xff, "8-bit bytes, v=" + values[i] + " min=" + min + " max=" + max);
            }
        }
    }

    /** Floats at, just below and just above every midpoint and grid point of the grid (all of it for small widths). */
    private static float[] boundaryValues(float min, float max, int bits, SplittableRandom rng) {
        double step = UniformQuantizer.step(min, max, bits);
        int top = (1 << bits) - 1;
        int points = Math.min(top, 600);
        float[] v = new float[points * 10 + 2];
        int n = 0;
        v[n++] = min;
        v[n++] = max;
        for (int j = 0; j < points; j++) {
            int k = points == top ? j : rng.nextInt(top);
            double mid = min + (k + 0.5) * step;
            double grid = min + k * step;
            for (double x : new double[] {mid, grid}) {
                float f = (float) x;
                v[n++] = f;
                v[n++] = Math.nextUp(f);
                v[n++] = Math.nextDown(f);
                v[n++] = Math.nextUp(Math.nextUp(f));
                v[n++] = Math.nextDown(Math.nextDown(f));
            }
        }
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(min, Math.min(max, v[i]));
        }
        return java.util.Arrays.copyOf(v, n);
    }

    @Test
    void exactTiesOnDyadicGrids() {
        // step 1: k + 0.5 is an exact float and an exact tie, which rounds up
        for (int bits = 1; bits <= 16; bits++) {
            int top = (1 << bits) - 1;
            float min = 3f;
            float max = 3f + top; // step exactly 1
            float[] v = new float[Math.min(top, 5000) * 2];
            for (int k = 0; k < v.length / 2; k++) {
                v[2 * k] = min + k + 0.5f;
                v[2 * k + 1] = min + k;
            }
            check(v, min, max, bits);
            check(v, -max, -min, bits); // out-of-range values clamp alike
            float[] neg = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                neg[i] = -v[i];
            }
            check(neg, -max, -min, bits);
            check(neg, min, max, bits); // below the range: negative t clamps to 0
        }
        // t beyond the int (and long) range: saturating conversions clamp to the same ends
        float[] far = {1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, 0f, 3e9f, -3e9f};
        for (int bits : new int[] {1, 8, 16}) {
            check(far, 0f, 1e-30f, bits);
            check(far, -1e-38f, 1e-38f, bits);
            check(far, 0f, 1f, bits);
        }
        // step 2^-10 and 2^20
        for (int bits : new int[] {4, 8, 12}) {
            int top = (1 << bits) - 1;
            for (float step : new float[] {0x1p-10f, 0x1p20f, 0x1p-140f}) {
                float min = -step * 7;
                float max = min + step * top;
                float[] v = new float[top];
                for (int k = 0; k < top; k++) {
                    v[k] = min + (k + 0.5f) * step;
                }
                check(v, min, max, bits);
            }
        }
    }

    @Test
    void boundariesOfRandomGrids() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int trial = 0; trial < 3000; trial++) {
            int bits = 1 + rng.nextInt(16);
            float a;
            float b;
            switch (trial % 6) {
                case 0 -> { a = (float) rng.nextGaussian(); b = (float) rng.nextGaussian(); }
                case 1 -> { a = (float) (rng.nextGaussian() * 1e-38); b = (float) (rng.nextGaussian() * 1e-38); } // subnormal-ish
                case 2 -> { a = (float) (rng.nextGaussian() * 1e37); b = (float) (rng.nextGaussian() * 1e37); }
                case 3 -> { a = 1000f; b = 1000f + (float) rng.nextDouble() * 0.01f; } // range far below |v|
                case 4 -> { a = -Float.MAX_VALUE; b = Float.MAX_VALUE; }
                default -> { a = Float.intBitsToFloat(rng.nextInt(0x7f800000)); b = -Float.intBitsToFloat(rng.nextInt(0x7f800000)); }
            }
            float min = Math.min(a, b);
            float max = Math.max(a, b);
            check(boundaryValues(min, max, bits, rng), min, max, bits);
            float[] random = new float[200];
            for (int i = 0; i < random.length; i++) {
                random[i] = (float) (min + rng.nextDouble() * ((double) max - min));
                random[i] = Math.max(min, Math.min(max, random[i]));
            }
            check(random, min, max, bits);
        }
    }

    @Test
    void randomFloatsOfEveryExponent() {
        SplittableRandom rng = new SplittableRandom(77);
        float[] v = new float[1 << 16];
        for (int trial = 0; trial < 40; trial++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < v.length; i++) {
                float f;
                do {
                    f = Float.intBitsToFloat(rng.nextInt());
                } while (!Float.isFinite(f));
                v[i] = f;
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            check(v, min, max, 1 + trial % 16);
        }
    }
}
