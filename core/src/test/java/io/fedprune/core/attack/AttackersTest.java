package io.fedprune.core.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The seeded choice of attacking clients. */
class AttackersTest {
    static final Attack FLIP = Attack.of("sign-flip", 10);

    @Test
    void choosesDistinctIdsInRangeTheSameForTheSameSeed() {
        Attackers five = new Attackers(5, FLIP);
        int[] ids = five.chosen(20, 7);
        assertEquals(5, ids.length);
        assertEquals(5, Arrays.stream(ids).distinct().count());
        assertTrue(Arrays.stream(ids).allMatch(i -> i >= 0 && i < 20));
        assertArrayEquals(ids, Arrays.stream(ids).sorted().toArray(), "ascending");
        assertArrayEquals(ids, five.chosen(20, 7));
        for (int id = 0; id < 20; id++) {
            assertEquals(Arrays.binarySearch(ids, id) >= 0, five.attacks(id, 20, 7), "client " + id);
        }
        // every client may be chosen: over seeds each id turns up, about clients/population of the time
        int[] counts = new int[20];
        for (long seed = 0; seed < 4000; seed++) {
            for (int id : five.chosen(20, seed)) {
                counts[id]++;
            }
        }
        for (int id = 0; id < 20; id++) {
            assertEquals(1000, counts[id], 120, "client " + id + " chosen " + counts[id] + " times of 4000");
        }
    }

    @Test
    void allClientsOrNoneAndHugePopulations() {
        assertArrayEquals(IntStream.range(0, 6).toArray(), new Attackers(6, FLIP).chosen(6, 3));
        assertArrayEquals(new int[0], Attackers.NONE.chosen(6, 3));
        assertFalse(Attackers.NONE.active());
        assertFalse(Attackers.NONE.attacks(0, 6, 3));
        int[] few = new Attackers(3, FLIP).chosen(10_000_000, 1); // O(attackers), not O(population)
        Set<Integer> distinct = new HashSet<>();
        for (int id : few) {
            distinct.add(id);
            assertTrue(id >= 0 && id < 10_000_000);
        }
        assertEquals(3, distinct.size());
        assertThrows(IllegalArgumentException.class, () -> new Attackers(7, FLIP).chosen(6, 1));
        assertThrows(IllegalArgumentException.class, () -> new Attackers(-1, FLIP));
        assertThrows(IllegalArgumentException.class, () -> new Attackers(1, null));
    }
}
