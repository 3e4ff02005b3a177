package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.system.DeviceFleet;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.system.FleetSpec;
import io.fedprune.core.system.SpeedClass;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateAssignmentTest {
    static final double[] PRFL_SHARES = {0.2, 0.2, 0.2, 0.4};

    @Test
    void bySpeedGivesTheWidestRatesToTheFastestClients() {
        // round times of clients 0..9, in no particular order
        double[] seconds = {5.0, 0.9, 7.5, 3.0, 0.4, 9.9, 2.2, 6.1, 1.7, 8.8};
        int[] levels = RateAssignment.levels(RateAssignment.Mode.BY_SPEED, PRFL_SHARES, 10, seconds);
        // fastest: 4 (0.4), 1 (0.9) | 8 (1.7), 6 (2.2) | 3 (3.0), 0 (5.0) | 7, 2, 9, 5
        assertArrayEquals(new int[] {2, 0, 3, 2, 0, 3, 1, 3, 1, 3}, levels);
    }

    @Test
    void fixedSplitsTheIdsIntoContiguousBlocks() {
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 3, 3},
                RateAssignment.levels(RateAssignment.Mode.FIXED, PRFL_SHARES, 10, null));
    }

    /**
     * With speed classes listed fastest first, by-speed and fixed both give class k level k, and the
     * groups are exactly DeviceFleet's classes, rounding included.
     */
    @Test
    void theGroupsAreTheSpeedClassesOfTheSameShares() {
        double[][] sharesCases = {PRFL_SHARES, {0.3, 0.3, 0.4}, {0.5, 0.5}, {0.15, 0.35, 0.25, 0.25}};
        for (double[] shares : sharesCases) {
            for (int n : new int[] {1, 3, 7, 10, 13, 100}) {
                List<SpeedClass> classes = new ArrayList<>();
                for (int k = 0; k < shares.length; k++) {
                    classes.add(new SpeedClass(shares[k], shares.length - k, 1, 1)); // class 0 the fastest
                }
                List<DeviceProfile> devices = DeviceFleet.generate(FleetSpec.fixed(1e9, 1e6, 1e7, 5e7)
                        .withSpeedClasses(classes), n, 3);
                int[] classOf = new int[n];
                double[] seconds = new double[n];
                for (int i = 0; i < n; i++) {
                    classOf[i] = shares.length - (int) Math.round(devices.get(i).cpuHz() / 1e9);
                    seconds[i] = devices.get(i).computeSeconds(1000);
                }
                String what = java.util.Arrays.toString(shares) + " over " + n;
                assertArrayEquals(classOf, RateAssignment.levels(RateAssignment.Mode.FIXED, shares, n, null), what);
                assertArrayEquals(classOf, RateAssignment.levels(RateAssignment.Mode.BY_SPEED, shares, n, seconds), what);
            }
        }
    }

    @Test
    void bySpeedWithoutSpeedsAndUnknownModesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RateAssignment.levels(RateAssignment.Mode.BY_SPEED, PRFL_SHARES, 10, null));
        assertTrue(e.getMessage().contains("use assignment = fixed"), e.getMessage());
        assertEquals("expected by-speed or fixed, got 'random'", assertThrows(IllegalArgumentException.class,
                () -> RateAssignment.Mode.parse("random")).getMessage());
        assertEquals(RateAssignment.Mode.BY_SPEED, RateAssignment.Mode.parse(" By-Speed "));
    }
}
