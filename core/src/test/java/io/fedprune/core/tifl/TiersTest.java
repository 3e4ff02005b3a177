package io.fedprune.core.tifl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TiersTest {

    @Test
    void fastestClientsFormTheFirstTierInEqualGroups() {
        double[] seconds = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
        Tiers tiers = Tiers.profile(seconds, 5);
        assertEquals(List.of(1, 3), tiers.members(0));
        assertEquals(List.of(5, 7), tiers.members(1));
        assertEquals(List.of(6, 8), tiers.members(2));
        assertEquals(List.of(2, 4), tiers.members(3));
        assertEquals(List.of(0, 9), tiers.members(4));
        for (int c = 0; c < seconds.length; c++) {
            assertTrue(tiers.members(tiers.tierOf(c)).contains(c));
        }
    }

    @Test
    void unevenCountsDifferByAtMostOneAndTiesGoToTheLowerId() {
        double[] seconds = new double[12]; // all equal: order by id
        Tiers tiers = Tiers.profile(seconds, 5);
        assertEquals(List.of(0, 1, 2), tiers.members(0));
        assertEquals(List.of(3, 4, 5), tiers.members(1));
        assertEquals(List.of(6, 7), tiers.members(2));
        assertEquals(List.of(10, 11), tiers.members(4));
        assertEquals(1, Tiers.profile(seconds, 1).count());
        assertEquals(12, Tiers.profile(seconds, 1).members(0).size());
    }

    @Test
    void badProfilesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tiers.profile(null, 5)).getMessage()
                .contains("profiled round times"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tiers.profile(new double[3], 4)).getMessage()
                .contains("tiers must be in [1, 3]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tiers.profile(new double[] {1, Double.NaN}, 1))
                .getMessage().contains("client 1"));
    }
}
