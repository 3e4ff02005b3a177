package io.fedprune.core.attack;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a malicious client uploads instead of the model it trained: a model-poisoning attack on the
 * update {@code Δ = trained − received}, for measuring robust aggregation and screening on real
 * runs. The client still trains honestly (its time and bytes are an honest client's); only the
 * values it sends are forged, after training and before the uplink codec.
 *
 * <ul>
 * <li>{@code sign-flip}: {@code received − factor·Δ}, the update reversed and magnified (the
 * "sign-flipping" attack of Fang et al. 2020 / Li et al. 2019);</li>
 * <li>{@code scale}: {@code received + factor·Δ}, the honest direction boosted (model replacement,
 * Bagdasaryan et al. 2020);</li>
 * <li>{@code noise}: {@code received} plus Gaussian noise whose expected L2 norm is
 * {@code factor·‖Δ‖}, the training thrown away (a "Gaussian" Byzantine client);</li>
 * <li>{@code nan}: every value NaN, what a crashed or hostile client's float bug looks like.</li>
 * </ul>
 */
public sealed interface Attack {

    /** Kinds in configuration text, as {@link #of} accepts them. */
    List<String> KINDS = List.of("sign-flip", "scale", "noise", "nan");

    /**
     * The values a malicious client sends having received {@code received} and trained
     * {@code trained} (same length; neither is changed).
     *
     * @param seed seeds the attack's randomness (per client and task, so reruns forge the same bytes)
     */
    float[] forge(float[] received, float[] trained, long seed);

    /** The kind as configuration text. */
    String kind();

    /** The multiplier of the update (unused by {@code nan}). */
    double factor();

    /**
     * The attack of configuration text {@code kind} (one of {@link #KINDS}) with multiplier
     * {@code factor}, finite and positive.
     */
    static Attack of(String kind, double factor) {
        if (!(factor > 0 && Double.isFinite(factor))) {
            throw new IllegalArgumentException("the attack factor must be finite and > 0, got " + factor);
        }
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "sign-flip" -> new SignFlip(factor);
            case "scale" -> new Scale(factor);
            case "noise" -> new Noise(factor);
            case "nan" -> new NotANumber();
            default -> throw new IllegalArgumentException("unknown attack kind '" + kind + "'; expected one of "
                    + KINDS);
        };
    }

    /** {@code received − factor·(trained − received)}. */
    record SignFlip(double factor) implements Attack {
        @Override
        public float[] forge(float[] received, float[] trained, long seed) {
            return alongUpdate(received, trained, -factor);
        }

        @Override
        public String kind() {
            return "sign-flip";
        }
    }

    /** {@code received + factor·(trained − received)}. */
    record Scale(double factor) implements Attack {
        @Override
        public float[] forge(float[] received, float[] trained, long seed) {
            return alongUpdate(received, trained, factor);
        }

        @Override
        public String kind() {
            return "scale";
        }
    }

    /**
     * {@code received + ε}, ε Gaussian with per-entry standard deviation
     * {@code factor·‖Δ‖/√n}, so that {@code E‖ε‖² = (factor·‖Δ‖)²}: as far from the model as a
     * {@code factor}-scaled update, in a random direction.
     */
    record Noise(double factor) implements Attack {
        @Override
        public float[] forge(float[] received, float[] trained, long seed) {
            requireSameLength(received, trained);
            double norm = 0;
            for (int j = 0; j < received.length; j++) {
                double d = (double) trained[j] - received[j];
                norm += d * d;
            }
            double sigma = received.length == 0 ? 0 : factor * Math.sqrt(norm / received.length);
            SplittableRandom rng = new SplittableRandom(seed);
            float[] out = new float[received.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (received[j] + sigma * rng.nextGaussian());
            }
            return out;
        }

        @Override
        public String kind() {
            return "noise";
        }
    }

    /** Every value NaN. */
    record NotANumber() implements Attack {
        @Override
        public float[] forge(float[] received, float[] trained, long seed) {
            requireSameLength(received, trained);
            float[] out = new float[received.length];
            java.util.Arrays.fill(out, Float.NaN);
            return out;
        }

        @Override
        public String kind() {
            return "nan";
        }

        @Override
        public double factor() {
            return 1;
        }
    }

    private static float[] alongUpdate(float[] received, float[] trained, double multiplier) {
        requireSameLength(received, trained);
        float[] out = new float[received.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) (received[j] + multiplier * ((double) trained[j] - received[j]));
        }
        return out;
    }

    private static void requireSameLength(float[] received, float[] trained) {
        if (received.length != trained.length) {
            throw new IllegalArgumentException("received and trained models differ in length: " + received.length
                    + " vs " + trained.length);
        }
    }
}
