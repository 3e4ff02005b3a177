package io.fedprune.core.data;

import java.util.SplittableRandom;

/**
 * Gamma and Dirichlet sampling on a caller-supplied generator, so that results depend on the seed only
 * (no library, no global randomness). Package-private.
 */
final class Gamma {

    private Gamma() {
    }

    /**
     * Natural log of a Gamma(shape, 1) draw, by Marsaglia &amp; Tsang (2000). For shape &lt; 1 it uses their
     * boost Gamma(a) = Gamma(a + 1) * U^(1/a), taken in log space: for the small alphas used in
     * non-IID experiments (0.01) U^(1/a) underflows to 0 in doubles, which would turn every proportion
     * into 0/0.
     */
    static double logSample(double shape, SplittableRandom rng) {
        if (shape < 1) {
            double u = 1.0 - rng.nextDouble(); // (0, 1], so the log is finite
            return logSample(shape + 1, rng) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1.0 - rng.nextDouble();
            double x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }

    /** Fills {@code out} with a draw from the symmetric Dirichlet(alpha, ..., alpha); entries sum to 1. */
    static void dirichlet(double alpha, SplittableRandom rng, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < out.length; k++) {
            out[k] = logSample(alpha, rng);
            max = Math.max(max, out[k]);
        }
        // Normalise in log space (subtract the max before exp) so that tiny draws do not all vanish.
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= sum;
        }
    }
}
