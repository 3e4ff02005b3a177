package io.fedprune.core.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceProfileTest {

    // 2 GHz, 1e6 cycles/sample, 1 Mbit/s up, 10 Mbit/s down.
    private final DeviceProfile device = new DeviceProfile(3, 2e9, 1e6, 1e6, 1e7);

    @Test
    void computeTimeIsSamplesTimesCyclesOverHz() {
        // 1000 * 1e6 / 2e9 = 0.5 s
        assertEquals(0.5, device.computeSeconds(1000), 1e-15);
        assertEquals(500_000, device.computeMicros(1000));
        assertEquals(0, device.computeMicros(0));
        // 1 sample = 0.5 ms
        assertEquals(500, device.computeMicros(1));
    }

    @Test
    void transferTimesAreBitsOverRate() {
        // 125,000 bytes = 1e6 bits over 1 Mbit/s = 1 s
        assertEquals(1.0, device.uploadSeconds(125_000), 1e-15);
        assertEquals(1_000_000, device.uploadMicros(125_000));
        // 1e6 bytes = 8e6 bits over 10 Mbit/s = 0.8 s
        assertEquals(0.8, device.downloadSeconds(1_000_000), 1e-15);
        assertEquals(800_000, device.downloadMicros(1_000_000));
    }

    @Test
    void microsRoundUpPartialMicroseconds() {
        // 1 cycle per sample at 3 MHz: a sample takes 1/3 us.
        DeviceProfile fast = new DeviceProfile(0, 3e6, 1, 3e6, 3e6);
        assertEquals(1, fast.computeMicros(1));
        assertEquals(2, fast.computeMicros(4));   // 1.33 us
        assertEquals(1, fast.computeMicros(3));   // exactly 1 us
        // 1 byte = 8 bits at 3 Mbit/s = 2.67 us
        assertEquals(3, fast.uploadMicros(1));
        assertEquals(3, fast.downloadMicros(1));
    }

    @Test
    void microsIgnoreFloatingPointNoiseAboveWholeMicroseconds() {
        // 3 * 0.1 * 1e6 cycles is 300000.00000000006 in doubles, so one sample at 1 GHz computes to
        // 300.00000000000006 us; a blind ceil would charge 301 us.
        DeviceProfile d = new DeviceProfile(0, 1e9, 3 * 0.1 * 1e6, 1e6, 1e6);
        assertEquals(300, d.computeMicros(1));
        assertEquals(600, d.computeMicros(2));
        for (int samples = 1; samples <= 2000; samples++) {
            // 1000 cycles at 1e7 Hz = 100 us per sample, exactly representable in decimal
            DeviceProfile p = new DeviceProfile(0, 1e7, 1000, 1e6, 1e6);
            assertEquals(100L * samples, p.computeMicros(samples), "samples " + samples);
        }
    }

    @Test
    void hugeDurationsSaturateInsteadOfOverflowing() {
        DeviceProfile slow = new DeviceProfile(0, 1e-3, 1e9, 1e6, 1e6);
        assertEquals(Long.MAX_VALUE, slow.computeMicros(Long.MAX_VALUE));
    }

    @Test
    void validationNamesTheParameterAndValue() {
        assertMessage(() -> new DeviceProfile(-1, 1, 1, 1, 1), "id", "-1");
        assertMessage(() -> new DeviceProfile(0, -1, 1, 1, 1), "cpuHz", "-1.0");
        assertMessage(() -> new DeviceProfile(0, 1, 0, 1, 1), "cyclesPerSample", "0.0");
        assertMessage(() -> new DeviceProfile(0, 1, 1, Double.NaN, 1), "uplinkBps", "NaN");
        assertMessage(() -> new DeviceProfile(0, 1, 1, 1, Double.POSITIVE_INFINITY), "downlinkBps", "Infinity");
        assertMessage(() -> device.computeSeconds(-5), "samples", "-5");
        assertMessage(() -> device.uploadMicros(-1), "bytes", "-1");
        assertMessage(() -> device.downloadSeconds(-2), "bytes", "-2");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
        }
    }
}
