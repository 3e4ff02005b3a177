package io.fedprune.core.system;

import java.util.SplittableRandom;

/**
 * PR-FL's per-round link variation: a rate is redrawn every round as the mean of {@code draws}
 * draws of LogNormal(0, sigma) times its mean value (the paper's code; its expectation is
 * exp(sigma^2 / 2) times the mean, slightly above it, as there). Each factor comes from its own
 * {@link SplittableRandom} seeded from a mix of the run seed, the stream (a client, or the server
 * side of a link) and the round counter, so a rate never depends on which thread asked first.
 *
 * @param sigma std of ln of one draw; 0 = no variation (factor exactly 1, no random numbers)
 * @param draws draws averaged per redraw (20 in PR-FL)
 * @param seed  the run's seed
 */
public record LinkRedraw(double sigma, int draws, long seed) {

    /** No variation. */
    public static final LinkRedraw NONE = new LinkRedraw(0, 1, 0);

    public LinkRedraw {
        Checks.nonNegativeFinite("redraw sigma", sigma);
        if (draws < 1) {
            throw new IllegalArgumentException("redraw draws must be >= 1, got " + draws);
        }
    }

    /** The factor of {@code stream}'s rate {@code which} (e.g. 0 download, 1 upload) in {@code round}. */
    public double factor(long stream, long round, int which) {
        if (sigma == 0) {
            return 1;
        }
        SplittableRandom rng = new SplittableRandom(mix(mix(mix(seed, stream), round), which));
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            sum += Math.exp(sigma * rng.nextGaussian());
        }
        return sum / draws;
    }

    /** {@code mean} with its uplink and downlink rates redrawn for client round {@code round}. */
    public DeviceProfile apply(DeviceProfile mean, long round) {
        if (sigma == 0) {
            return mean;
        }
        return new DeviceProfile(mean.id(), mean.cpuHz(), mean.cyclesPerSample(),
                mean.uplinkBps() * factor(mean.id(), round, 1), mean.downlinkBps() * factor(mean.id(), round, 0));
    }

    /**
     * SplitMix64's finalizer over a running combination of {@code a} and {@code b}: consecutive
     * rounds and clients get unrelated streams (also TT-Fed's per-tick fading).
     */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
