package io.fedprune.core.ttfed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TimeTiersTest {
    static final double[] ROUNDS = {1.0, 2.5, 2.9, 7.2, 12.0};

    @Test
    void clientsGoToTheTierOfTheirRoundTimeOverDeltaT() {
        TimeTiers.Assignment a = TimeTiers.assign(ROUNDS, 3.0);
        assertArrayEquals(new int[] {1, 1, 1, 3, 4}, a.tierOf());
        assertEquals(4, a.tiers(), "M = ceil(T / dT) = ceil(12 / 3)");
        assertArrayEquals(new int[] {3, 0, 1, 1}, a.sizes());
        assertArrayEquals(new int[] {3}, a.members(3));
        assertTrue(a.joins(3, 6) && a.joins(3, 3) && a.joins(1, 5));
        assertFalse(a.joins(3, 4) || a.joins(4, 6));
    }

    @Test
    void aLargeIntervalIsSynchronousAndATinyOneGivesEveryPaceItsOwnTier() {
        TimeTiers.Assignment sync = TimeTiers.assign(ROUNDS, 12.0);
        assertEquals(1, sync.tiers());
        assertTrue(Arrays.stream(sync.tierOf()).allMatch(m -> m == 1), "everyone aggregates at every tick");
        TimeTiers.Assignment async = TimeTiers.assign(ROUNDS, 0.01);
        assertEquals(ROUNDS.length, Arrays.stream(async.tierOf()).distinct().count(), "a tier per distinct pace");
        assertEquals(1200, async.tiers());
        // each client joins exactly when its own round ends: every T_u / dT ticks
        assertEquals(100, async.tierOf()[0]);
    }

    @Test
    void observedRoundTimesMoveClientsBetweenTiers() {
        TimeTiers tiers = new TimeTiers(3.0, 3, 2);
        double[] profiled = {1, 4, 8};
        assertArrayEquals(new int[] {1, 2, 3}, tiers.assign(profiled).tierOf(), "before any observation: profiled");
        tiers.observe(0, 7);
        tiers.observe(0, 5);
        assertArrayEquals(new int[] {2, 2, 3}, tiers.assign(profiled).tierOf(), "client 0 slowed to a mean of 6 s");
        tiers.observe(0, 1);
        tiers.observe(0, 1);
        assertArrayEquals(new int[] {1, 2, 3}, tiers.assign(profiled).tierOf(), "a window of 2: the old times are gone");
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TimeTiers(0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> TimeTiers.tierOf(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> TimeTiers.tierOf(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TimeTiers(1, 3, 1).assign(new double[2]));
    }
}
