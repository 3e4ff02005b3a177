package io.fedprune.core.optimize;

/**
 * Argument checks for the allocator's inputs. Each message names the parameter and the value,
 * because problems are built from experiment configs and channel draws, and "invalid argument"
 * would not say which of a hundred users' numbers was wrong.
 */
final class Require {
    private Require() {
    }

    static double positiveFinite(String name, double value) {
        // !(value > 0) also rejects NaN, which compares false with everything
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
        return value;
    }

    static double nonNegativeFinite(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + value);
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
        return value;
    }

    /** Positive, possibly +infinity (meaning "no limit"); never NaN, zero or negative. */
    static double positiveOrUnlimited(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be positive (or +Infinity for no limit), got " + value);
        }
        return value;
    }

    static double inClosedRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}
