package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fedprune.core.model.ParameterSegment;

/**
 * What a codec's round trip may change, stage by stage, written from the stages' documentation
 * (not from their code): float32 is exact ({@code -0.0} may come back as {@code +0.0} where only
 * non-zeros travel); a uniform grid moves a value by less than one step of its group's range
 * (plus float32 rounding of the result); pow2 by at most a third of it inside the exponent range;
 * {@code magnitude(r)} may zero entries, keeping at most {@code ceil((1 - r) W)}; {@code sparse}
 * keeps zeros exactly zero.
 */
final class RoundTripOracle {
    private RoundTripOracle() {
    }

    static void check(FuzzCodecs.Entry entry, float[] x, float[] y) {
        CodecChainSpec spec = entry.spec();
        String name = entry.name();
        // zeros stay exactly zero except on a dense uniform grid (it usually has no exact zero)
        boolean zerosExact = spec.sparse() || spec.quantizer() != CodecChainSpec.Quantizer.UNIFORM;
        if (spec.hasMagnitude() && zerosExact) {
            int nonZero = 0;
            for (float v : y) {
                nonZero += v != 0f ? 1 : 0;
            }
            long keep = (long) Math.ceil((1.0 - spec.pruneFraction()) * x.length);
            assertTrue(nonZero <= keep, name + ": " + nonZero + " non-zeros after magnitude keeping " + keep);
        }
        if (zerosExact) {
            for (int i = 0; i < x.length; i++) {
                if (x[i] == 0f && y[i] != 0f) {
                    fail(name + ": entry " + i + " sent 0 came back " + y[i]);
                }
            }
        }
        boolean allFinite = true;
        for (float v : x) {
            allFinite &= Float.isFinite(v);
        }
        switch (spec.quantizer()) {
            case NONE -> {
                for (int i = 0; i < x.length; i++) {
                    if (spec.hasMagnitude() && y[i] == 0f) {
                        continue;
                    }
                    boolean same = Float.floatToIntBits(x[i]) == Float.floatToIntBits(y[i])
                            || (spec.sparse() && x[i] == 0f && y[i] == 0f);
                    if (!same) {
                        fail(name + ": entry " + i + " sent " + x[i] + " came back " + y[i]);
                    }
                }
            }
            case UNIFORM -> {
                assertTrue(allFinite, name + " accepted a non-finite value");
                int[] groups = spec.scale() == UniformQuantizer.Scale.PER_LAYER
                        ? FuzzCodecs.LAYOUT.segments().stream().mapToInt(ParameterSegment::end).toArray()
                        : new int[] {x.length};
                checkUniform(x, y, spec.bits(), groups, spec.sparse() || spec.hasMagnitude(), name);
            }
            case POW2 -> {
                assertTrue(allFinite, name + " accepted a non-finite value");
                for (int i = 0; i < x.length; i++) {
                    if (spec.hasMagnitude() && y[i] == 0f) {
                        continue;
                    }
                    checkPow2(x[i], y[i], spec.minExp(), spec.maxExp(), name, i);
                }
            }
        }
    }

    /**
     * Each decoded value within one grid step of the group's range of {@code x} (the range of what
     * was quantized is inside it) plus float32 rounding; with {@code zerosMayDrop} (a magnitude
     * stage or a sparse body before the grid) an entry may also come back as a value within that
     * step of zero: dropped, or quantized as the zero it was set to.
     */
    static void checkUniform(float[] x, float[] y, int bits, int[] groupEnds, boolean zerosMayDrop, String name) {
        assertEquals(x.length, y.length, name + ": length");
        int start = 0;
        for (int end : groupEnds) {
            // a dropped entry (magnitude) is a zero inside the quantized group: the range holds 0
            float min = zerosMayDrop ? 0f : Float.POSITIVE_INFINITY;
            float max = zerosMayDrop ? 0f : Float.NEGATIVE_INFINITY;
            for (int i = start; i < end; i++) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
            if (start < end) {
                double step = UniformQuantizer.step(min, max, bits);
                double tolerance = step + Math.ulp(Math.max(Math.abs(min), Math.abs(max)));
                for (int i = start; i < end; i++) {
                    if (zerosMayDrop && Math.abs((double) y[i]) <= tolerance) {
                        continue;
                    }
                    double err = Math.abs((double) x[i] - y[i]);
                    if (!(err <= tolerance)) { // messages are built only on failure: this runs per entry per fuzz input
                        fail(name + ": entry " + i + " sent " + x[i] + " came back " + y[i] + ", more than the step "
                                + step + " of [" + min + ", " + max + "] at " + bits + " bits");
                    }
                }
            }
            start = end;
        }
    }

    private static void checkPow2(float x, float y, int minExp, int maxExp, String name, int i) {
        double a = Math.abs((double) x);
        double lo = Math.scalb(1.0, minExp);
        double hi = Math.scalb(1.0, maxExp);
        double err = Math.abs((double) x - y);
        boolean ok = a > hi ? y == Math.copySign((float) hi, x)
                : a >= lo ? err <= a * PowerOfTwoQuantizer.RELATIVE_ERROR_BOUND * (1 + 1e-12)
                : err <= lo / 2;
        if (!ok) {
            fail(name + ": entry " + i + " sent " + x + " came back " + y + " (pow2 over 2^" + minExp + "..2^" + maxExp + ")");
        }
    }
}
