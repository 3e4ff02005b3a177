package io.fedprune.core.prune;

import java.util.Arrays;

/**
 * PR-FL's importance (ALGORITHMS.md §6): the squared gradient accumulated over client uploads,
 * {@code I_k = sum g_k^2}. Mutable (it is an accumulator) and not thread-safe.
 *
 * <p>An entry whose accumulated value is still exactly 0 has no gradient information: uploads of
 * pruned sub-models carry exact zeros at the pruned entries, so a zero means "not observed", not
 * "observed unimportant". Such entries score {@code gMin * |w|}, where {@code gMin} is the smallest
 * positive accumulated value: they rank by magnitude among themselves and, scaled by gMin, mostly
 * below observed entries, so a weight is not discarded forever just because no client trained it.
 * When nothing has been observed yet, gMin is taken as 1 and the scores are plain magnitudes.
 */
public final class SquaredGradientImportance implements ImportanceScore {
    private final float[] accumulated;

    public SquaredGradientImportance(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.accumulated = new float[size];
    }

    public int size() {
        return accumulated.length;
    }

    /**
     * Adds {@code g^2} entrywise. A model delta works as well as a gradient (it is -lr times a sum
     * of gradients for SGD): only the ranking matters.
     */
    public void accumulate(float[] gradientOrUpdate) {
        if (gradientOrUpdate.length != accumulated.length) {
            throw new IllegalArgumentException("gradient has " + gradientOrUpdate.length + " values, accumulator has "
                    + accumulated.length);
        }
        for (int i = 0; i < accumulated.length; i++) {
            if (Float.isNaN(gradientOrUpdate[i])) {
                // one NaN would poison the entry forever; reject before changing anything
                throw new IllegalArgumentException("gradient at index " + i + " is NaN");
            }
        }
        for (int i = 0; i < accumulated.length; i++) {
            float g = gradientOrUpdate[i];
            accumulated[i] += g * g;
        }
    }

    /** A copy of the accumulated squared gradients. */
    public float[] accumulated() {
        return accumulated.clone();
    }

    /** Forgets everything accumulated. */
    public void reset() {
        Arrays.fill(accumulated, 0f);
    }

    /** Smallest positive accumulated value, or 1 when no entry has been observed. */
    public float gMin() {
        float min = Float.POSITIVE_INFINITY;
        for (float a : accumulated) {
            if (a > 0 && a < min) {
                min = a;
            }
        }
        return min == Float.POSITIVE_INFINITY ? 1f : min;
    }

    /** {@inheritDoc} The reference is ignored. */
    @Override
    public float[] scores(float[] params, float[] reference) {
        if (params.length != accumulated.length) {
            throw new IllegalArgumentException("params have " + params.length + " values, accumulator has "
                    + accumulated.length);
        }
        float gMin = gMin();
        float[] out = new float[params.length];
        for (int i = 0; i < out.length; i++) {
            float a = accumulated[i];
            out[i] = a > 0 ? a : gMin * Math.abs(params[i]);
        }
        return out;
    }
}
