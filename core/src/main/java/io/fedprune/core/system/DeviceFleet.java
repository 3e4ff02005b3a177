package io.fedprune.core.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Generates the devices of an experiment from a {@link FleetSpec}, deterministically from a seed.
 *
 * <p>Per device i:
 * <ol>
 *   <li>compute factor = exp(computeSigma Z1) and link factor = exp(linkSigma Z2), Z1, Z2 standard
 *       normal. Both are log-normal with median exp(0) = 1, so the base values in the spec stay the
 *       fleet's median and sigma only widens the spread around it (the mean, exp(sigma^2/2), does
 *       grow with sigma; that is the price of keeping the median fixed);</li>
 *   <li>with speed classes, the factors are multiplied by the device's class scales (uplink and
 *       downlink scales separately);</li>
 *   <li>cpuHz = base cpuHz x compute factor; uplink and downlink = base rates x link factor (the same
 *       factor for both directions: a poor link is poor both ways). Under WIRELESS the base uplink
 *       is the device's own Shannon rate over a distance uniform in [min, max] with Rayleigh fading,
 *       and the base downlink is that rate times downlinkToUplinkRatio.</li>
 * </ol>
 *
 * <p>Each device draws from its own stream, the i-th split of a {@link SplittableRandom} seeded
 * with the seed, so device i's random draws do not depend on N or on the other devices, and a
 * sigma of 0 leaves the other draws unchanged (Z is drawn anyway).
 */
public final class DeviceFleet {
    private DeviceFleet() {
    }

    public static List<DeviceProfile> generate(FleetSpec spec, int numClients, long seed) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1, got " + numClients);
        }
        int[] classOf = assignClasses(spec.speedClasses(), numClients);
        SplittableRandom root = new SplittableRandom(seed);
        List<DeviceProfile> devices = new ArrayList<>(numClients);
        for (int id = 0; id < numClients; id++) {
            SplittableRandom rng = root.split();
            double computeFactor = Math.exp(spec.computeSigma() * rng.nextGaussian());
            double linkFactor = Math.exp(spec.linkSigma() * rng.nextGaussian());
            double uplinkScale = 1;
            double downlinkScale = 1;
            if (classOf != null) {
                SpeedClass c = spec.speedClasses().get(classOf[id]);
                computeFactor *= c.computeScale();
                uplinkScale = c.uplinkScale();
                downlinkScale = c.downlinkScale();
            }
            double baseUplink;
            double baseDownlink;
            switch (spec.linkModel()) {
                case FIXED -> {
                    baseUplink = spec.uplinkBps();
                    baseDownlink = spec.downlinkBps();
                }
                case WIRELESS -> {
                    double distance = spec.minDistanceM()
                            + (spec.maxDistanceM() - spec.minDistanceM()) * rng.nextDouble();
                    WirelessChannel channel = new WirelessChannel(spec.bandwidthHz(), spec.txPowerW(), distance,
                            spec.noiseDbmPerHz(), WirelessChannel.rayleighPowerGain(rng));
                    baseUplink = channel.rateBps();
                    baseDownlink = baseUplink * spec.downlinkToUplinkRatio();
                }
                default -> throw new IllegalStateException("unhandled link model " + spec.linkModel());
            }
            devices.add(new DeviceProfile(id, spec.cpuHz() * computeFactor, spec.cyclesPerSample(),
                    baseUplink * uplinkScale * linkFactor, baseDownlink * downlinkScale * linkFactor));
        }
        return List.copyOf(devices);
    }

    /**
     * Class index per client, or null without classes. Contiguous blocks in list order: class k gets
     * the next round(share_k N) ids (capped by what is left, since rounding every class up could
     * overshoot N) and the last class takes the remainder, so the counts always sum to N.
     */
    static int[] assignClasses(List<SpeedClass> classes, int numClients) {
        if (classes.isEmpty()) {
            return null;
        }
        int[] classOf = new int[numClients];
        int next = 0;
        for (int k = 0; k < classes.size(); k++) {
            int remaining = numClients - next;
            int count = k == classes.size() - 1
                    ? remaining
                    : (int) Math.min(Math.round(classes.get(k).share() * numClients), remaining);
            Arrays.fill(classOf, next, next + count, k);
            next += count;
        }
        return classOf;
    }

    /**
     * One log line summarising a fleet: min/median/max of compute seconds per 1000 samples and of
     * uplink and downlink Mbit/s.
     */
    public static String describe(List<DeviceProfile> devices) {
        if (devices == null || devices.isEmpty()) {
            return "0 devices";
        }
        return String.format(Locale.ROOT,
                "%d devices: compute s/1000 samples min/median/max %s; uplink Mbps %s; downlink Mbps %s",
                devices.size(),
                minMedianMax(devices, d -> d.computeSeconds(1000)),
                minMedianMax(devices, d -> d.uplinkBps() / 1e6),
                minMedianMax(devices, d -> d.downlinkBps() / 1e6));
    }

    private static String minMedianMax(List<DeviceProfile> devices, ToDoubleFunction<DeviceProfile> f) {
        double[] v = devices.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return String.format(Locale.ROOT, "%.4g/%.4g/%.4g", v[0], median, v[n - 1]);
    }
}
