package io.fedprune.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.system.ShannonRate;
import java.util.SplittableRandom;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.junit.jupiter.api.Test;

class ShannonBandwidthTest {

    @Test
    void minBandwidthAgreesWithHipparchusBrentOnTheRateEquation() {
        SplittableRandom rng = new SplittableRandom(3);
        BracketingNthOrderBrentSolver brent = new BracketingNthOrderBrentSolver(1e-14, 1e-12, 1e-300, 5);
        for (int i = 0; i < 200; i++) {
            double p = 0.05 + 0.2 * rng.nextDouble();
            double h = Math.pow(10, -(9 + 4 * rng.nextDouble()));
            double gamma = ShannonBandwidth.gammaHz(p, h, -174);
            double limit = gamma / Math.log(2);
            double rate = limit * (0.01 + 0.98 * rng.nextDouble());
            double seconds = 0.1 + 2 * rng.nextDouble();
            double bits = rate * seconds;
            double b = ShannonBandwidth.minBandwidthHz(bits, seconds, p, h, -174);
            double hi = 1;
            while (hi * Math.log1p(gamma / hi) / Math.log(2) < rate) {
                hi *= 2;
            }
            double ref = brent.solve(1000, x -> x * Math.log1p(gamma / x) / Math.log(2) - rate, 0, hi);
            assertEquals(ref, b, 1e-9 * ref, "rate " + rate + " limit " + limit);
            assertTrue(ShannonBandwidth.rateBps(b, gamma) * seconds >= bits * (1 - 1e-15), "never short of the payload");
        }
    }

    /**
     * W_{-1}, the lower branch of Lambert W on [-1/e, 0), by Halley's iteration from the branch-point
     * series near -1/e or the asymptotic log form near 0: a test-only reference, the JDK and
     * Hipparchus have no Lambert W.
     */
    private static double lambertWm1(double x) {
        double p = Math.sqrt(2 * (Math.E * x + 1));
        double w = x < -0.25 ? -1 - p - p * p / 3 : Math.log(-x) - Math.log(-Math.log(-x));
        for (int i = 0; i < 100; i++) {
            double ew = Math.exp(w);
            double f = w * ew - x;
            double next = w - f / (ew * (w + 1) - (w + 2) * f / (2 * w + 2));
            if (Math.abs(next - w) <= 1e-15 * Math.abs(w)) {
                return next;
            }
            w = next;
        }
        return w;
    }

    @Test
    void minBandwidthIsAlgorithmsMdsLambertWClosedForm() {
        // ALGORITHMS.md §1: B_min = gamma / (-W_{-1}(-a e^{-a}) / a - 1), a = R ln 2 / gamma < 1
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double p = 0.1 + 0.1 * rng.nextDouble();
            double h = Math.pow(10, -(9 + 4 * rng.nextDouble()));
            double gamma = ShannonBandwidth.gammaHz(p, h, -174);
            double a = 0.02 + 0.96 * rng.nextDouble();
            double rate = a * gamma / Math.log(2);
            double closed = gamma / (-lambertWm1(-a * Math.exp(-a)) / a - 1);
            assertEquals(closed, ShannonBandwidth.minBandwidthHz(rate, 1, p, h, -174), 1e-8 * closed, "a = " + a);
        }
    }

    @Test
    void derivativesMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            double p = 0.1;
            double h = Math.pow(10, -(9 + 3 * rng.nextDouble()));
            double gamma = ShannonBandwidth.gammaHz(p, h, -174);
            double rate = gamma / Math.log(2) * (0.05 + 0.9 * rng.nextDouble());
            double b = ShannonRate.minBandwidthForRate(rate, p, h, -174);
            double dr = rate * 1e-5;
            double byRate = (ShannonRate.minBandwidthForRate(rate + dr, p, h, -174)
                    - ShannonRate.minBandwidthForRate(rate - dr, p, h, -174)) / (2 * dr);
            assertEquals(byRate, ShannonBandwidth.bandwidthPerRate(b, gamma), 1e-5 * Math.abs(byRate));
            double dp = p * 1e-5;
            double byGamma = (ShannonRate.minBandwidthForRate(rate, p + dp, h, -174)
                    - ShannonRate.minBandwidthForRate(rate, p - dp, h, -174)) / (2 * dp) * p / gamma;
            assertEquals(byGamma, ShannonBandwidth.bandwidthPerGamma(b, gamma), 1e-5 * Math.abs(byGamma));
        }
    }

    @Test
    void smallSnrSeriesJoinsTheDirectFormula() {
        double x = 1e-3;
        double direct = (Math.log1p(x) - x / (1 + x)) / Math.log(2);
        assertEquals(direct, ShannonBandwidth.dRateDBandwidth(x * (1 - 1e-12)), 1e-9 * direct);
        double tiny = 1e-7;
        assertEquals(tiny * tiny / 2 / Math.log(2), ShannonBandwidth.dRateDBandwidth(tiny), 1e-6 * tiny * tiny);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ShannonBandwidth.minBandwidthHz(-1, 1, 0.1, 1e-10, -174));
        assertTrue(e.getMessage().contains("bits") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShannonBandwidth.minBandwidthHz(1e6, 0, 0.1, 1e-10, -174));
        assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ShannonBandwidth.minBandwidthHz(1e6, 1, 0.1, Double.NaN, -174));
        assertTrue(e.getMessage().contains("channelGain") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShannonBandwidth.minBandwidthHz(1e12, 1, 0.1, 1e-10, -174));
        assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
    }
}
