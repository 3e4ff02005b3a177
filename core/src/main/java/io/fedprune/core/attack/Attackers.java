package io.fedprune.core.attack;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which clients of a run are malicious and what they do: {@code clients} ids drawn uniformly
 * without replacement from {@code 0 .. population − 1} by a seeded shuffle, so the attackers are
 * spread over devices and data shards rather than being the lowest ids (which partitioners and
 * speed classes hand out in order), and the same seed picks the same attackers.
 *
 * @param clients how many clients attack (0 = an honest run)
 * @param attack  what each of them sends
 */
public record Attackers(int clients, Attack attack) {

    /** Nobody attacks. */
    public static final Attackers NONE = new Attackers(0, new Attack.SignFlip(1));

    public Attackers {
        if (clients < 0) {
            throw new IllegalArgumentException("the number of attacking clients must be >= 0, got " + clients);
        }
        if (attack == null) {
            throw new IllegalArgumentException("attack is required");
        }
    }

    public boolean active() {
        return clients > 0;
    }

    /**
     * The attackers' ids among {@code population} clients, ascending: the first {@code clients} of
     * a Fisher–Yates shuffle seeded by {@code seed}.
     */
    public int[] chosen(int population, long seed) {
        if (clients > population) {
            throw new IllegalArgumentException(clients + " attacking clients but only " + population + " clients");
        }
        // a Fisher–Yates shuffle of the identity that stores only the positions it moved: O(clients)
        // whatever the population (a run may have millions of clients and a handful of attackers)
        Map<Integer, Integer> moved = new HashMap<>();
        int[] out = new int[clients];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < clients; i++) {
            int j = i + rng.nextInt(population - i);
            int atJ = moved.getOrDefault(j, j);
            out[i] = atJ;
            moved.put(j, moved.getOrDefault(i, i));
        }
        Arrays.sort(out);
        return out;
    }

    /** Whether client {@code id} attacks (see {@link #chosen}). */
    public boolean attacks(int id, int population, long seed) {
        if (!active()) {
            return false;
        }
        return Arrays.binarySearch(chosen(population, seed), id) >= 0;
    }
}
