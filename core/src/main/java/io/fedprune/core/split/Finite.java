package io.fedprune.core.split;

/** Refuses NaN and infinities before they reach a network: one bad value would corrupt a shared part. */
final class Finite {
    private Finite() {
    }

    static void check(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " hold the non-finite value " + values[i] + " at position " + i);
            }
        }
    }
}
