package io.fedprune.core.system;

import static io.fedprune.core.system.DeviceProfileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceFleetTest {
    private static final FleetSpec BASE = FleetSpec.fixed(1e9, 2e6, 2e6, 20e6);

    @Test
    void sameSeedSameFleetDifferentSeedDifferentFleet() {
        FleetSpec spec = BASE.withSigmas(0.5, 0.5);
        List<DeviceProfile> a = DeviceFleet.generate(spec, 50, 123);
        assertEquals(a, DeviceFleet.generate(spec, 50, 123));
        assertNotEquals(a, DeviceFleet.generate(spec, 50, 124));

        FleetSpec wireless = spec.withWireless(1e6, 0.2, -174, 100, 500, 5);
        assertEquals(DeviceFleet.generate(wireless, 50, 9), DeviceFleet.generate(wireless, 50, 9));
        assertNotEquals(DeviceFleet.generate(wireless, 50, 9), DeviceFleet.generate(wireless, 50, 10));
    }

    @Test
    void idsRunFromZeroAndDeviceDrawsDoNotDependOnFleetSize() {
        FleetSpec spec = BASE.withSigmas(1, 1);
        List<DeviceProfile> small = DeviceFleet.generate(spec, 10, 5);
        List<DeviceProfile> large = DeviceFleet.generate(spec, 30, 5);
        for (int i = 0; i < 30; i++) {
            assertEquals(i, large.get(i).id());
        }
        assertEquals(small, large.subList(0, 10));
    }

    @Test
    void zeroSigmaGivesIdenticalDevicesAtTheBaseValues() {
        List<DeviceProfile> fleet = DeviceFleet.generate(BASE, 20, 77);
        for (DeviceProfile d : fleet) {
            assertEquals(new DeviceProfile(d.id(), 1e9, 2e6, 2e6, 20e6), d);
        }
    }

    @Test
    void logNormalSpreadKeepsTheMedianAtTheBase() {
        int n = 2000;
        List<DeviceProfile> fleet = DeviceFleet.generate(BASE.withSigmas(1, 1), n, 2024);
        double[] logCompute = fleet.stream().mapToDouble(d -> Math.log(d.cpuHz() / 1e9)).toArray();
        double[] logLink = fleet.stream().mapToDouble(d -> Math.log(d.uplinkBps() / 2e6)).toArray();
        for (double[] logs : List.of(logCompute, logLink)) {
            double medianFactor = Math.exp(median(logs));
            assertEquals(1.0, medianFactor, 0.1, "median factor");
            assertEquals(1.0, std(logs), 0.1, "std of ln(factor)");
        }
        // the same link factor scales both directions
        for (DeviceProfile d : fleet) {
            assertEquals(d.uplinkBps() / 2e6, d.downlinkBps() / 20e6, 1e-12 * d.uplinkBps() / 2e6);
            assertEquals(2e6, d.cyclesPerSample());
        }
    }

    @Test
    void computeAndLinkSpreadsAreIndependentKnobs() {
        List<DeviceProfile> computeOnly = DeviceFleet.generate(BASE.withSigmas(1, 0), 100, 3);
        List<DeviceProfile> both = DeviceFleet.generate(BASE.withSigmas(1, 1), 100, 3);
        for (int i = 0; i < 100; i++) {
            assertEquals(2e6, computeOnly.get(i).uplinkBps());
            // turning the link spread on does not re-draw the compute factors
            assertEquals(computeOnly.get(i).cpuHz(), both.get(i).cpuHz());
        }
    }

    @Test
    void speedClassesAreAssignedInOrderByShare() {
        List<SpeedClass> classes = List.of(
                new SpeedClass(0.1, 1.0, 1.0, 1.0),
                new SpeedClass(0.2, 0.5, 0.5, 0.25),
                new SpeedClass(0.3, 0.25, 0.25, 0.25),
                new SpeedClass(0.4, 0.125, 2, 4));
        List<DeviceProfile> fleet = DeviceFleet.generate(BASE.withSpeedClasses(classes), 100, 1);
        int[] counts = new int[4];
        for (DeviceProfile d : fleet) {
            int k = d.id() < 10 ? 0 : d.id() < 30 ? 1 : d.id() < 60 ? 2 : 3;
            SpeedClass c = classes.get(k);
            assertEquals(1e9 * c.computeScale(), d.cpuHz(), 1e-3, "device " + d.id());
            assertEquals(2e6 * c.uplinkScale(), d.uplinkBps(), 1e-6, "device " + d.id());
            assertEquals(20e6 * c.downlinkScale(), d.downlinkBps(), 1e-6, "device " + d.id());
            counts[k]++;
        }
        assertEquals(List.of(10, 20, 30, 40), Arrays.stream(counts).boxed().toList());
    }

    @Test
    void classCountsRoundAndTheLastClassTakesTheRemainder() {
        List<SpeedClass> thirds = List.of(
                new SpeedClass(1.0 / 3, 1, 1, 1), new SpeedClass(1.0 / 3, 1, 1, 1), new SpeedClass(1.0 / 3, 1, 1, 1));
        assertEquals(List.of(3, 3, 4), counts(thirds, 10));  // round(3.33) = 3, 3, remainder 4
        assertEquals(List.of(4, 4, 3), counts(thirds, 11));  // round(3.67) = 4, 4, remainder 3
        // rounding every class up would overshoot N = 5 (2 + 2 + 2 + ...): later classes get what is left
        List<SpeedClass> overshoot = List.of(new SpeedClass(0.3, 1, 1, 1), new SpeedClass(0.3, 1, 1, 1),
                new SpeedClass(0.3, 1, 1, 1), new SpeedClass(0.1, 1, 1, 1));
        assertEquals(List.of(2, 2, 1, 0), counts(overshoot, 5));
        assertEquals(List.of(1), counts(List.of(new SpeedClass(1, 1, 1, 1)), 1));
    }

    private static List<Integer> counts(List<SpeedClass> classes, int n) {
        int[] classOf = DeviceFleet.assignClasses(classes, n);
        int[] counts = new int[classes.size()];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                assertTrue(classOf[i] >= classOf[i - 1], "classes must be contiguous blocks in order");
            }
            counts[classOf[i]]++;
        }
        return Arrays.stream(counts).boxed().toList();
    }

    @Test
    void wirelessRatesArePlausible() {
        // 1 MHz, 23 dBm, thermal noise, devices 100-500 m from the base station, downlink 5x uplink.
        FleetSpec spec = BASE.withWireless(1e6, 0.2, -174, 100, 500, 5);
        List<DeviceProfile> fleet = DeviceFleet.generate(spec, 1000, 11);
        // no device beats the best case: nearest distance with the largest possible Rayleigh gain (~37)
        double best = new WirelessChannel(1e6, 0.2, 100, -174, 37).rateBps();
        double[] up = new double[fleet.size()];
        for (DeviceProfile d : fleet) {
            assertTrue(d.uplinkBps() > 0 && d.uplinkBps() < best, "uplink " + d.uplinkBps());
            assertEquals(5 * d.uplinkBps(), d.downlinkBps(), 1e-9 * d.downlinkBps());
            assertEquals(1e9, d.cpuHz());
            up[d.id()] = d.uplinkBps();
        }
        double median = median(up);
        // ~300 m, SNR of a few hundred: a few Mbit/s per MHz
        assertTrue(median > 3e6 && median < 20e6, "median uplink " + median);
        assertTrue(Arrays.stream(up).distinct().count() == up.length, "fading and distance make rates differ");
        String summary = DeviceFleet.describe(fleet);
        assertTrue(summary.startsWith("1000 devices"), summary);
    }

    @Test
    void describeGivesMinMedianMax() {
        List<DeviceProfile> fleet = List.of(
                new DeviceProfile(0, 1e9, 1e6, 1e6, 1e7),
                new DeviceProfile(1, 2e9, 1e6, 4e6, 1e7),
                new DeviceProfile(2, 4e9, 1e6, 2e6, 1e7));
        String s = DeviceFleet.describe(fleet);
        assertTrue(s.contains("3 devices"), s);
        assertTrue(s.contains("compute s/1000 samples min/median/max 0.2500/0.5000/1.000"), s);
        assertTrue(s.contains("uplink Mbps 1.000/2.000/4.000"), s);
        assertEquals("0 devices", DeviceFleet.describe(List.of()));
    }

    @Test
    void generateValidatesItsArguments() {
        assertMessage(() -> DeviceFleet.generate(BASE, 0, 1), "numClients", "0");
        assertMessage(() -> DeviceFleet.generate(null, 5, 1), "spec");
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double std(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double ss = Arrays.stream(values).map(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (values.length - 1));
    }
}
