package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.ModelState;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class FedAsyncTest {

    /** A staleness function under test with its textbook formula written out independently. */
    private record Case(StalenessFunction f, LongToDoubleFunction formula) {
    }

    private static final Case[] CASES = {
            new Case(StalenessFunction.constant(), t -> 1.0),
            new Case(StalenessFunction.polynomial(0.5), t -> 1.0 / Math.sqrt(t + 1.0)),
            new Case(StalenessFunction.polynomial(2), t -> 1.0 / ((t + 1.0) * (t + 1.0))),
            new Case(StalenessFunction.hinge(10, 4), t -> t <= 4 ? 1.0 : 1.0 / (10.0 * (t - 4) + 1.0)),
            new Case(StalenessFunction.hinge(0.5, 0), t -> t <= 0 ? 1.0 : 1.0 / (0.5 * t + 1.0)),
    };

    @Test
    void mixesAsOneMinusAGlobalPlusAUpdate() {
        SplittableRandom rng = new SplittableRandom(99);
        for (Case c : CASES) {
            for (int trial = 0; trial < 100; trial++) {
                double alpha = trial == 0 ? 1.0 : 0.01 + 0.99 * rng.nextDouble();
                FedAsync fa = new FedAsync(alpha, c.f());
                int w = 1 + rng.nextInt(200);
                float[] g = new float[w];
                float[] u = new float[w];
                for (int j = 0; j < w; j++) {
                    g[j] = (float) (rng.nextGaussian() * 3);
                    u[j] = (float) (rng.nextGaussian() * 3);
                }
                float[] gCopy = g.clone();
                float[] uCopy = u.clone();
                long version = rng.nextInt(0, 40);
                long base = rng.nextLong(0, version + 1);
                double a = alpha * c.formula().applyAsDouble(version - base);
                assertEquals(a, fa.mixingWeight(version - base), 1e-12, c.f().describe() + " weight");

                float[] out = fa.onUpdate(Arrivals.of(3, u, 10, base, new ModelState(g, version)), new ModelState(g, version)).model();
                assertEquals(w, out.length);
                for (int j = 0; j < w; j++) {
                    double expected = (1 - a) * g[j] + a * u[j];
                    double tol = 1e-6 * (Math.abs(g[j]) + Math.abs(u[j])) + 1e-30;
                    if (Math.abs(out[j] - expected) > tol) {
                        throw new AssertionError(c.f().describe() + " alpha=" + alpha + " staleness=" + (version - base)
                                + " coordinate " + j + ": " + out[j] + " expected " + expected);
                    }
                }
                assertArrayEquals(gCopy, g, "global model must not be modified");
                assertArrayEquals(uCopy, u, "update must not be modified");
            }
        }
    }

    @Test
    void fullWeightTakesTheUpdateAndStaleUpdatesMoveLess() {
        float[] g = {0, 0, 0};
        float[] u = {1, -2, 4};
        FedAsync full = new FedAsync(1.0, StalenessFunction.constant());
        assertArrayEquals(u, full.onUpdate(Arrivals.of(0, u, 1, 5, new ModelState(g, 5)), new ModelState(g, 5)).model());

        FedAsync poly = new FedAsync(0.6, StalenessFunction.polynomial(0.5));
        float fresh = poly.onUpdate(Arrivals.of(0, u, 1, 9, new ModelState(g, 9)), new ModelState(g, 9)).model()[0];
        float stale = poly.onUpdate(Arrivals.of(0, u, 1, 1, new ModelState(g, 9)), new ModelState(g, 9)).model()[0];
        assertEquals(0.6f, fresh, 1e-7);
        assertEquals(0.6 / Math.sqrt(9), stale, 1e-7);
        assertEquals("fedasync", poly.name());
    }

    @Test
    void alphaMustBeInZeroOne() {
        for (double bad : new double[] {0, -0.1, 1.0000001, 2, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FedAsync(bad, StalenessFunction.constant()), "alpha " + bad);
            assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        }
        assertEquals(1.0, new FedAsync(1.0, StalenessFunction.constant()).mixingWeight(0));
        assertEquals(1e-9, new FedAsync(1e-9, StalenessFunction.constant()).mixingWeight(3));
    }

    @Test
    void updateFromTheFutureCannotArrive() {
        float[] g = {1};
        assertThrows(IllegalArgumentException.class, () -> Arrivals.of(0, new float[] {2}, 1, 4, new ModelState(g, 3)));
    }
}
