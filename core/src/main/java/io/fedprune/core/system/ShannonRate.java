package io.fedprune.core.system;

/**
 * Shannon capacity of an uplink, r(B) = B log2(1 + p h / (N0 B)), and its inverse in the
 * bandwidth. Kept apart from {@link WirelessChannel} because resource allocation works with
 * (power, gain, noise) triples directly and needs the inverse, which has no closed form.
 *
 * <p>Units: bandwidth in Hz, power in W, channel gain as a linear power ratio, noise as a power
 * spectral density in dBm/Hz (-174 dBm/Hz is thermal noise at room temperature), rates in bit/s.
 */
public final class ShannonRate {
    private static final double LN2 = Math.log(2);
    /** Bisection stops when the bracket is this small relative to the bandwidth found. */
    private static final double RELATIVE_TOLERANCE = 1e-13;
    private static final int MAX_BISECTIONS = 400;

    private ShannonRate() {
    }

    /** Noise power spectral density N0 in W/Hz from dBm/Hz. */
    public static double noisePsdWattsPerHz(double noiseDbmPerHz) {
        Checks.finite("noiseDbmPerHz", noiseDbmPerHz);
        return Math.pow(10, (noiseDbmPerHz - 30) / 10);
    }

    /** B log2(1 + p h / (N0 B)). */
    public static double rateBps(double bandwidthHz, double txPowerW, double channelGain, double noiseDbmPerHz) {
        Checks.positiveFinite("bandwidthHz", bandwidthHz);
        return rate(bandwidthHz, snrBandwidthProduct(txPowerW, channelGain, noiseDbmPerHz));
    }

    /**
     * The limit of the rate as B goes to infinity, p h / (N0 ln 2): more bandwidth also admits more
     * noise, so a finite transmit power caps the rate no matter how much spectrum is granted.
     */
    public static double infiniteBandwidthLimitBps(double txPowerW, double channelGain, double noiseDbmPerHz) {
        return snrBandwidthProduct(txPowerW, channelGain, noiseDbmPerHz) / LN2;
    }

    /**
     * The least bandwidth B with B log2(1 + p h / (N0 B)) >= rateBps, to a relative precision of
     * about 1e-13. The rate rises and is concave in B, starting at 0 and approaching
     * {@link #infiniteBandwidthLimitBps}, so bisection on a doubling bracket is safe; a closed form
     * would need the Lambert W function, which the JDK lacks.
     *
     * @throws IllegalArgumentException if rateBps is not positive and finite, or is not below the
     *                                  infinite-bandwidth limit (no bandwidth is enough)
     */
    public static double minBandwidthForRate(double rateBps, double txPowerW, double channelGain, double noiseDbmPerHz) {
        Checks.positiveFinite("rateBps", rateBps);
        double x = snrBandwidthProduct(txPowerW, channelGain, noiseDbmPerHz);
        double limit = x / LN2;
        if (rateBps >= limit) {
            throw unreachable(rateBps, txPowerW, limit, channelGain, noiseDbmPerHz);
        }
        // r(R) >= R exactly when x >= R (spectral efficiency >= 1 bit/s/Hz), so B = R is a natural
        // first guess; doubling from there reaches any R below the limit.
        double lo = 0;
        double hi = rateBps;
        while (rate(hi, x) < rateBps) {
            lo = hi;
            hi *= 2;
            if (Double.isInfinite(hi)) {
                // R sits within rounding of the limit: mathematically reachable, numerically not.
                throw unreachable(rateBps, txPowerW, limit, channelGain, noiseDbmPerHz);
            }
        }
        for (int i = 0; i < MAX_BISECTIONS && hi - lo > RELATIVE_TOLERANCE * hi; i++) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (rate(mid, x) >= rateBps) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        // hi always satisfies the rate, so callers granting hi never fall short.
        return hi;
    }

    /** p h / N0, in Hz: the bandwidth at which the SNR would be 1. */
    private static double snrBandwidthProduct(double txPowerW, double channelGain, double noiseDbmPerHz) {
        Checks.positiveFinite("txPowerW", txPowerW);
        Checks.positiveFinite("channelGain", channelGain);
        double product = txPowerW * channelGain / noisePsdWattsPerHz(noiseDbmPerHz);
        if (!(product > 0) || Double.isInfinite(product)) {
            throw new IllegalArgumentException("txPowerW * channelGain / N0 must be positive and finite, got "
                    + product + " (txPowerW " + txPowerW + ", channelGain " + channelGain
                    + ", noiseDbmPerHz " + noiseDbmPerHz + ")");
        }
        return product;
    }

    /** B log2(1 + x/B), with log1p so wide bands (x/B tiny) keep their precision. */
    private static double rate(double bandwidthHz, double x) {
        return bandwidthHz * Math.log1p(x / bandwidthHz) / LN2;
    }

    private static IllegalArgumentException unreachable(double rateBps, double txPowerW, double limit,
                                                        double channelGain, double noiseDbmPerHz) {
        return new IllegalArgumentException("rate " + rateBps + " is not reachable with power " + txPowerW
                + ": the infinite-bandwidth limit is " + limit + " bps (channelGain " + channelGain
                + ", noiseDbmPerHz " + noiseDbmPerHz + ")");
    }
}
