package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StalenessFunctionTest {

    @Test
    void polynomialIsTPlusOneToTheMinusA() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            double a = rng.nextDouble() * 4;
            long t = rng.nextLong(0, 10_000);
            StalenessFunction f = StalenessFunction.polynomial(a);
            // reference: exp(-a ln(t + 1))
            double expected = Math.exp(-a * Math.log(t + 1.0));
            assertEquals(expected, f.weight(t), 1e-12 * expected + 1e-300, "a=" + a + " t=" + t);
        }
        assertEquals(1.0, StalenessFunction.polynomial(0.5).weight(0));
        assertEquals(0.5, StalenessFunction.polynomial(0.5).weight(3), 1e-15);
        assertEquals(1.0, StalenessFunction.polynomial(0).weight(1000));
    }

    @Test
    void hingeBoundaries() {
        StalenessFunction h = StalenessFunction.hinge(10, 4);
        for (long t = 0; t <= 4; t++) {
            assertEquals(1.0, h.weight(t), "t=" + t);
        }
        assertEquals(1.0 / 11, h.weight(5), 1e-15);
        assertEquals(1.0 / 21, h.weight(6), 1e-15);
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 2000; i++) {
            double a = rng.nextDouble() * 20;
            long b = rng.nextLong(0, 50);
            StalenessFunction f = StalenessFunction.hinge(a, b);
            assertEquals(1.0, f.weight(b), "staleness == b keeps full weight");
            assertEquals(1.0 / (a + 1), f.weight(b + 1), 1e-15, "staleness == b + 1");
            long t = rng.nextLong(0, 500);
            double expected = t <= b ? 1.0 : 1.0 / (a * (t - b) + 1.0);
            assertEquals(expected, f.weight(t), 1e-15, "a=" + a + " b=" + b + " t=" + t);
        }
        // a non-integer threshold
        StalenessFunction frac = StalenessFunction.hinge(2, 2.5);
        assertEquals(1.0, frac.weight(2));
        assertEquals(1.0 / 2, frac.weight(3), 1e-15);
    }

    @Test
    void startsAtOneAndNeverIncreases() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            for (StalenessFunction f : List.of(StalenessFunction.constant(),
                    StalenessFunction.polynomial(rng.nextDouble() * 3),
                    StalenessFunction.hinge(rng.nextDouble() * 10, rng.nextInt(10)))) {
                assertEquals(1.0, f.weight(0), f.describe());
                double prev = 1.0;
                for (long t = 1; t < 100; t++) {
                    double w = f.weight(t);
                    assertTrue(w <= prev && w > 0, f.describe() + " at " + t + ": " + w + " after " + prev);
                    prev = w;
                }
            }
        }
    }

    @Test
    void negativeStalenessIsRejected() {
        for (StalenessFunction f : List.of(StalenessFunction.constant(), StalenessFunction.polynomial(0.5),
                StalenessFunction.hinge(10, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.weight(-1), f.describe());
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
        }
    }

    @Test
    void parsesGoodSpecs() {
        assertEquals(StalenessFunction.constant(), StalenessFunction.parse("constant"));
        assertEquals(StalenessFunction.constant(), StalenessFunction.parse("  Constant "));
        assertEquals(StalenessFunction.polynomial(0.5), StalenessFunction.parse("polynomial(0.5)"));
        assertEquals(StalenessFunction.polynomial(2), StalenessFunction.parse("Polynomial( 2 )"));
        assertEquals(StalenessFunction.hinge(10, 4), StalenessFunction.parse("hinge(10, 4)"));
        assertEquals(StalenessFunction.hinge(10, 4), StalenessFunction.parse("HINGE(10,4)"));
        assertEquals(StalenessFunction.hinge(0.5, 2.5), StalenessFunction.parse("hinge(0.5,2.5)"));
        // describe() is parseable back to the same function
        for (StalenessFunction f : List.of(StalenessFunction.constant(), StalenessFunction.polynomial(0.25),
                StalenessFunction.hinge(10, 4))) {
            assertEquals(f, StalenessFunction.parse(f.describe()));
        }
    }

    @Test
    void rejectsBadSpecs() {
        for (String bad : List.of("", "linear", "constant()", "polynomial", "polynomial()", "polynomial(x)",
                "polynomial(0.5", "poly(0.5)", "hinge(10)", "hinge(10,4,1)", "hinge(10,4,)", "hinge(,4)",
                "hinge(10;4)", "polynomial(0.5)x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StalenessFunction.parse(bad), "'" + bad + "'");
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        // well-formed but out of range: the constructor's message names the parameter
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StalenessFunction.parse("polynomial(-1)"));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StalenessFunction.parse("hinge(-1, 4)"));
        assertThrows(IllegalArgumentException.class, () -> StalenessFunction.parse("hinge(1, -4)"));
        assertThrows(IllegalArgumentException.class, () -> StalenessFunction.polynomial(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> StalenessFunction.hinge(Double.POSITIVE_INFINITY, 1));
    }
}
