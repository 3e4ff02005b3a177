package io.fedprune.core.system;

import java.util.Locale;

/**
 * What the numbers of an explicit link table mean. PR-FL's speeds are MB/s for a 37 MB model
 * (VGG-11, ~9.2 M parameters), so transfers dominate its rounds; the same MB/s with a 0.64 MB MLP
 * would make transfers ~58x shorter and the rounds compute-bound. {@link #PAPER_MB} keeps the
 * paper's regime by keeping its ratio of model size to speed: a rate of v moves v / 37 of our dense
 * model per second, whatever our model's size.
 */
public enum SpeedUnit {
    /** Megabits per second. */
    MBPS,
    /** The paper's MB/s scaled by (our dense model bytes / 37 MB): v means v/37 dense models per second. */
    PAPER_MB;

    /** PR-FL's dense model (VGG-11 on CIFAR-10), in bytes. */
    public static final double PAPER_MODEL_BYTES = 37e6;

    /** {@code value} in this unit as bits per second, for a model of {@code denseModelBytes}. */
    public double toBps(double value, long denseModelBytes) {
        Checks.positiveFinite("rate", value);
        return switch (this) {
            case MBPS -> value * 1e6;
            case PAPER_MB -> value * 1e6 * 8 * (denseModelBytes / PAPER_MODEL_BYTES);
        };
    }

    /** Parses {@code mbps} or {@code paper-mb}. */
    public static SpeedUnit parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "mbps" -> MBPS;
            case "paper-mb" -> PAPER_MB;
            default -> throw new IllegalArgumentException("expected mbps or paper-mb, got " + text);
        };
    }
}
