package io.fedprune.core.system;

/**
 * Argument checks shared by the system model and the resource allocator built on it. Every message
 * names the parameter and the value it got, because these records are mostly built from experiment
 * configs and channel draws, and a bare "invalid argument" would leave the user guessing which knob
 * (or which of a hundred users' numbers) is wrong.
 */
public final class Checks {
    private Checks() {
    }

    public static double positiveFinite(String name, double value) {
        // !(value > 0) also catches NaN, which compares false with everything.
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
        return value;
    }

    public static double nonNegativeFinite(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + value);
        }
        return value;
    }

    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** Positive, possibly +infinity (meaning "no limit"); never NaN, zero or negative. */
    public static double positiveOrUnlimited(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be positive (or +Infinity for no limit), got " + value);
        }
        return value;
    }

    public static double inClosedRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /**
     * Seconds to whole virtual microseconds, rounded up: a transfer or computation that takes any
     * fraction of a microsecond occupies that microsecond. A value within a few ulps of a whole
     * microsecond counts as that microsecond, so that e.g. 1000 samples at 1e6 cycles on a 1 GHz
     * CPU is exactly 1_000_000 us rather than 1_000_001 us because of floating-point noise.
     * Durations beyond Long.MAX_VALUE microseconds (about 292,000 years) saturate.
     */
    static long ceilMicros(double seconds) {
        double micros = seconds * 1e6;
        double nearest = Math.rint(micros);
        if (Math.abs(micros - nearest) <= 1e-9 * Math.max(1.0, Math.abs(micros))) {
            return (long) nearest;
        }
        return (long) Math.ceil(micros);
    }
}
