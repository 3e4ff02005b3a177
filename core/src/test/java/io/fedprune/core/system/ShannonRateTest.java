package io.fedprune.core.system;

import static io.fedprune.core.system.DeviceProfileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShannonRateTest {
    private static final double P = 0.2;
    private static final double NOISE = -174;
    private static final double H = new WirelessChannel(1e6, P, 400, NOISE, 1).channelGain();

    @Test
    void rateRisesWithBandwidthAndStaysBelowTheLimit() {
        double limit = ShannonRate.infiniteBandwidthLimitBps(P, H, NOISE);
        assertEquals(P * H / (Math.pow(10, -20.4) * Math.log(2)), limit, 1e-9 * limit);
        double previous = 0;
        for (double b = 1; b <= 1e15; b *= 2) {
            double r = ShannonRate.rateBps(b, P, H, NOISE);
            assertTrue(r > previous, "rate must rise with bandwidth at B=" + b);
            assertTrue(r < limit, "rate " + r + " at B=" + b + " must stay below the limit " + limit);
            previous = r;
        }
        // and approaches it
        assertEquals(limit, ShannonRate.rateBps(1e15, P, H, NOISE), 1e-4 * limit);
    }

    @Test
    void rateAgreesWithWirelessChannel() {
        WirelessChannel ch = new WirelessChannel(2e6, P, 250, NOISE, 0.7);
        assertEquals(ch.rateBps(), ShannonRate.rateBps(2e6, P, ch.channelGain(), NOISE), 1e-9 * ch.rateBps());
    }

    @Test
    void minBandwidthInvertsTheRate() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            double p = 0.01 + rng.nextDouble();
            double h = new WirelessChannel(1e6, p, 10 + 2000 * rng.nextDouble(), NOISE,
                    WirelessChannel.rayleighPowerGain(rng)).channelGain();
            double b = Math.pow(10, 3 + 6 * rng.nextDouble());      // 1 kHz .. 1 GHz
            double r = ShannonRate.rateBps(b, p, h, NOISE);
            double found = ShannonRate.minBandwidthForRate(r, p, h, NOISE);
            String where = "case " + i + ": p=" + p + " h=" + h + " B=" + b;
            assertEquals(b, found, 1e-6 * b, where);
            double achieved = ShannonRate.rateBps(found, p, h, NOISE);
            assertTrue(Math.abs(achieved - r) < 1e-6 * r, where + " achieved " + achieved + " wanted " + r);
            // the bandwidth returned is never short of the rate
            assertTrue(achieved >= r * (1 - 1e-15), where);
        }
    }

    @Test
    void minBandwidthWorksCloseToTheLimit() {
        double limit = ShannonRate.infiniteBandwidthLimitBps(P, H, NOISE);
        double r = limit * (1 - 1e-6);
        double b = ShannonRate.minBandwidthForRate(r, P, H, NOISE);
        assertEquals(r, ShannonRate.rateBps(b, P, H, NOISE), 1e-6 * r);
    }

    @Test
    void unreachableRatesAreRejected() {
        double limit = ShannonRate.infiniteBandwidthLimitBps(P, H, NOISE);
        assertMessage(() -> ShannonRate.minBandwidthForRate(limit, P, H, NOISE),
                "not reachable with power " + P, "infinite-bandwidth limit is " + limit + " bps");
        assertMessage(() -> ShannonRate.minBandwidthForRate(2 * limit, P, H, NOISE), "not reachable");
    }

    @Test
    void validationNamesTheParameterAndValue() {
        assertMessage(() -> ShannonRate.minBandwidthForRate(0, P, H, NOISE), "rateBps", "0.0");
        assertMessage(() -> ShannonRate.minBandwidthForRate(1e6, -1, H, NOISE), "txPowerW", "-1.0");
        assertMessage(() -> ShannonRate.minBandwidthForRate(1e6, P, 0, NOISE), "channelGain", "0.0");
        assertMessage(() -> ShannonRate.minBandwidthForRate(1e6, P, H, Double.NaN), "noiseDbmPerHz", "NaN");
        assertMessage(() -> ShannonRate.rateBps(-3, P, H, NOISE), "bandwidthHz", "-3.0");
    }
}
