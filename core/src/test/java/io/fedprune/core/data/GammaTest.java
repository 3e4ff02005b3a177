package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GammaTest {

    @Test
    void gammaMeanAndVarianceMatchShape() {
        SplittableRandom rng = new SplittableRandom(11);
        for (double shape : new double[] {0.3, 1.0, 4.5}) {
            int n = 200_000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double x = Math.exp(Gamma.logSample(shape, rng));
                sum += x;
                sumSq += x * x;
            }
            double mean = sum / n;
            double var = sumSq / n - mean * mean;
            // Gamma(k, 1): mean k, variance k.
            assertEquals(shape, mean, 0.02 * Math.max(1, shape), "mean for shape " + shape);
            assertEquals(shape, var, 0.06 * Math.max(1, shape), "variance for shape " + shape);
        }
    }

    @Test
    void dirichletSumsToOneWithEqualMeans() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] p = new double[4];
        double[] mean = new double[4];
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            Gamma.dirichlet(0.5, rng, p);
            double s = 0;
            for (int k = 0; k < 4; k++) {
                s += p[k];
                mean[k] += p[k] / n;
            }
            assertEquals(1.0, s, 1e-9);
        }
        for (double m : mean) {
            assertEquals(0.25, m, 0.01);
        }
    }
}
