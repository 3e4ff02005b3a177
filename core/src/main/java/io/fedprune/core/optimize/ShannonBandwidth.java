package io.fedprune.core.optimize;

import io.fedprune.core.system.Checks;
import io.fedprune.core.system.ShannonRate;

/**
 * The bandwidth side of the Shannon rate r(B) = B log2(1 + gamma / B), gamma = p h / N0: how much
 * bandwidth a payload needs to make a deadline, and how that need moves with the rate and the
 * power. The inverse itself is {@link ShannonRate#minBandwidthForRate} (bisection to ~1e-13,
 * never short of the rate); this class adds the payload/deadline form and the derivatives the
 * KKT conditions need, from the implicit function F(B, gamma, R) = B log2(1 + gamma/B) - R = 0:
 * dB/dR = 1 / dF/dB and dB/dgamma = -(dF/dgamma) / (dF/dB), with x = gamma / B,
 * dF/dB = log2(1 + x) - x / ((1 + x) ln 2) and dF/dgamma = 1 / ((1 + x) ln 2).
 */
public final class ShannonBandwidth {
    private static final double LN2 = Math.log(2);

    private ShannonBandwidth() {
    }

    /**
     * The least bandwidth that carries {@code bits} within {@code seconds} at power {@code txPowerW}.
     *
     * @throws IllegalArgumentException on non-positive or non-finite inputs, or when no bandwidth
     *                                  is enough (the rate is at or above p h / (N0 ln 2))
     */
    public static double minBandwidthHz(double bits, double seconds, double txPowerW, double channelGain,
                                        double noiseDbmPerHz) {
        Checks.positiveFinite("bits", bits);
        Checks.positiveFinite("seconds", seconds);
        return ShannonRate.minBandwidthForRate(bits / seconds, txPowerW, channelGain, noiseDbmPerHz);
    }

    /** gamma = p h / N0 in Hz: the bandwidth at which the SNR would be 1. */
    public static double gammaHz(double txPowerW, double channelGain, double noiseDbmPerHz) {
        Checks.nonNegativeFinite("txPowerW", txPowerW);
        Checks.positiveFinite("channelGain", channelGain);
        return txPowerW * channelGain / ShannonRate.noisePsdWattsPerHz(noiseDbmPerHz);
    }

    /** B log2(1 + gamma / B); 0 at zero power, gamma / ln 2 as B goes to infinity. */
    public static double rateBps(double bandwidthHz, double gammaHz) {
        if (bandwidthHz == Double.POSITIVE_INFINITY) {
            return gammaHz / LN2;
        }
        if (gammaHz == 0 || bandwidthHz == 0) {
            return 0;
        }
        return bandwidthHz * Math.log1p(gammaHz / bandwidthHz) / LN2;
    }

    /** dB/dR at the bandwidth B that carries R (Hz per bit/s): always positive, infinite at the rate limit. */
    public static double bandwidthPerRate(double bandwidthHz, double gammaHz) {
        return 1 / dRateDBandwidth(gammaHz / bandwidthHz);
    }

    /** dB/dgamma at the bandwidth B that carries a fixed rate: always negative. */
    public static double bandwidthPerGamma(double bandwidthHz, double gammaHz) {
        double x = gammaHz / bandwidthHz;
        return -(1 / ((1 + x) * LN2)) / dRateDBandwidth(x);
    }

    /**
     * dr/dB = log2(1 + x) - x / ((1 + x) ln 2), x = gamma / B. For small x the two terms cancel
     * to x^2 / (2 ln 2), so the series ln(1+x) - x/(1+x) = sum_{k>=2} (-1)^k (k-1)/k x^k is used
     * there instead of the difference.
     */
    static double dRateDBandwidth(double x) {
        if (x < 1e-3) {
            double sum = 0;
            double power = x;
            for (int k = 2; k <= 8; k++) {
                power *= x;
                sum += ((k & 1) == 0 ? 1 : -1) * (k - 1.0) / k * power;
            }
            return sum / LN2;
        }
        return (Math.log1p(x) - x / (1 + x)) / LN2;
    }
}
