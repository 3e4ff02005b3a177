package io.fedprune.core.system;

import java.util.random.RandomGenerator;

/**
 * One device's uplink under the standard wireless-FL model: path loss 128.1 + 37.6 log10(d/km) dB
 * (3GPP urban macro cell), optional small-scale fading as a power gain, white noise of a given
 * density, and the Shannon rate {@code B log2(1 + p h / (N0 B))}.
 *
 * @param bandwidthHz     bandwidth granted to the device
 * @param txPowerW        transmit power
 * @param distanceM       distance to the base station in metres
 * @param noiseDbmPerHz   noise power spectral density, e.g. -174 dBm/Hz
 * @param fadingPowerGain small-scale fading power gain (1 for none, {@link #rayleighPowerGain} for Rayleigh)
 */
public record WirelessChannel(double bandwidthHz, double txPowerW, double distanceM, double noiseDbmPerHz,
                              double fadingPowerGain) {

    public WirelessChannel {
        Checks.positiveFinite("bandwidthHz", bandwidthHz);
        Checks.positiveFinite("txPowerW", txPowerW);
        Checks.positiveFinite("distanceM", distanceM);
        Checks.finite("noiseDbmPerHz", noiseDbmPerHz);
        Checks.positiveFinite("fadingPowerGain", fadingPowerGain);
    }

    /** Large-scale path loss in dB: 128.1 + 37.6 log10(d / 1 km). */
    public double pathLossDb() {
        return 128.1 + 37.6 * Math.log10(distanceM / 1000);
    }

    /** Linear power gain h: path loss turned into a ratio, times the fading gain. */
    public double channelGain() {
        return Math.pow(10, -pathLossDb() / 10) * fadingPowerGain;
    }

    /** Noise power over the whole band, N0 B, in W. */
    public double noisePowerW() {
        return ShannonRate.noisePsdWattsPerHz(noiseDbmPerHz) * bandwidthHz;
    }

    /** Received signal-to-noise ratio p h / (N0 B), linear. */
    public double snr() {
        return txPowerW * channelGain() / noisePowerW();
    }

    /** Shannon rate B log2(1 + SNR) in bit/s. */
    public double rateBps() {
        return ShannonRate.rateBps(bandwidthHz, txPowerW, channelGain(), noiseDbmPerHz);
    }

    /**
     * A Rayleigh-fading power gain: |h|^2 of a unit-power complex Gaussian is exponential with mean
     * 1, drawn as -ln(U). U = 0 is redrawn so the gain is always positive and finite (the largest
     * possible value is about 37, for the smallest positive double from nextDouble()).
     */
    public static double rayleighPowerGain(RandomGenerator rng) {
        if (rng == null) {
            throw new IllegalArgumentException("rng must not be null");
        }
        double u;
        do {
            u = rng.nextDouble();
        } while (u == 0.0);
        return -Math.log(u);
    }
}
