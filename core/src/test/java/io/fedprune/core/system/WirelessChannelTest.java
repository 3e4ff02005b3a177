package io.fedprune.core.system;

import static io.fedprune.core.system.DeviceProfileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class WirelessChannelTest {

    @Test
    void pathLossFollowsTheUrbanMacroFormula() {
        WirelessChannel km = new WirelessChannel(1e6, 0.1, 1000, -174, 1);
        assertEquals(128.1, km.pathLossDb(), 1e-12);
        WirelessChannel near = new WirelessChannel(1e6, 0.1, 100, -174, 1);
        assertEquals(128.1 - 37.6, near.pathLossDb(), 1e-12);  // log10(0.1) = -1 -> 90.5 dB
        assertEquals(Math.pow(10, -12.81), km.channelGain(), 1e-25);
        assertEquals(Math.pow(10, -9.05), near.channelGain(), 1e-22);
    }

    @Test
    void fadingScalesTheGain() {
        WirelessChannel plain = new WirelessChannel(1e6, 0.1, 300, -174, 1);
        WirelessChannel faded = new WirelessChannel(1e6, 0.1, 300, -174, 0.25);
        assertEquals(0.25 * plain.channelGain(), faded.channelGain(), 1e-12 * plain.channelGain());
    }

    @Test
    void noiseSnrAndRateMatchHandComputation() {
        WirelessChannel ch = new WirelessChannel(1e6, 0.1, 100, -174, 1);
        double n0 = Math.pow(10, -20.4);                  // -174 dBm/Hz = 10^(-204/10) W/Hz
        assertEquals(n0 * 1e6, ch.noisePowerW(), 1e-27);   // ~3.98e-15 W
        double snr = 0.1 * Math.pow(10, -9.05) / (n0 * 1e6); // ~22,387
        assertEquals(snr, ch.snr(), 1e-9 * snr);
        double rate = 1e6 * Math.log(1 + snr) / Math.log(2); // ~14.45 Mbit/s
        assertEquals(rate, ch.rateBps(), 1e-9 * rate);
        assertTrue(ch.rateBps() > 14e6 && ch.rateBps() < 15e6, "rate " + ch.rateBps());
    }

    @Test
    void rateFallsWithDistance() {
        double previous = Double.POSITIVE_INFINITY;
        for (double d = 10; d <= 5000; d *= 1.5) {
            double r = new WirelessChannel(1e6, 0.2, d, -174, 1).rateBps();
            assertTrue(r < previous, "rate at " + d + " m");
            previous = r;
        }
    }

    @Test
    void rayleighPowerGainIsExponentialWithMeanOne() {
        SplittableRandom rng = new SplittableRandom(42);
        int n = 200_000;
        double sum = 0;
        int belowMedian = 0;
        for (int i = 0; i < n; i++) {
            double g = WirelessChannel.rayleighPowerGain(rng);
            assertTrue(g > 0 && Double.isFinite(g));
            sum += g;
            if (g < Math.log(2)) {
                belowMedian++;
            }
        }
        assertEquals(1.0, sum / n, 0.01);
        assertEquals(0.5, (double) belowMedian / n, 0.01);  // median of Exp(1) is ln 2
    }

    @Test
    void rayleighRedrawsZeroSoTheGainStaysFinite() {
        RandomGenerator stub = new RandomGenerator() {
            private int calls;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return calls++ == 0 ? 0.0 : 0.5;
            }
        };
        assertEquals(Math.log(2), WirelessChannel.rayleighPowerGain(stub), 1e-15);
    }

    @Test
    void validationNamesTheParameterAndValue() {
        assertMessage(() -> new WirelessChannel(0, 0.1, 100, -174, 1), "bandwidthHz", "0.0");
        assertMessage(() -> new WirelessChannel(1e6, -0.1, 100, -174, 1), "txPowerW", "-0.1");
        assertMessage(() -> new WirelessChannel(1e6, 0.1, 0, -174, 1), "distanceM", "0.0");
        assertMessage(() -> new WirelessChannel(1e6, 0.1, 100, Double.NaN, 1), "noiseDbmPerHz", "NaN");
        assertMessage(() -> new WirelessChannel(1e6, 0.1, 100, -174, 0), "fadingPowerGain", "0.0");
        assertMessage(() -> WirelessChannel.rayleighPowerGain(null), "rng");
    }
}
