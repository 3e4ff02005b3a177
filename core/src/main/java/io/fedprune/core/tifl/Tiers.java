package io.fedprune.core.tifl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * TiFL's profiling step (ALGORITHMS.md §8.4): clients sorted by their profiled round time and cut
 * into {@code count} tiers of equal size, tier 0 the fastest. When the clients do not divide evenly
 * the sizes differ by at most one, the larger tiers first (numpy's array_split; the FLGo
 * implementation's np.split would refuse such counts). Ties in time go to the lower id.
 */
public final class Tiers {
    private final int[] tierOf;
    private final List<List<Integer>> members;

    private Tiers(int[] tierOf, List<List<Integer>> members) {
        this.tierOf = tierOf;
        this.members = members;
    }

    /**
     * @param roundSeconds per client id, its profiled time for one local round (download, compute, upload)
     * @param count        the number of tiers, at least 1 and at most the number of clients
     */
    public static Tiers profile(double[] roundSeconds, int count) {
        if (roundSeconds == null) {
            throw new IllegalArgumentException("TiFL tiers clients by their profiled round times, which this run does "
                    + "not give the strategy");
        }
        int n = roundSeconds.length;
        if (count < 1 || count > n) {
            throw new IllegalArgumentException("tiers must be in [1, " + n + "] for " + n + " clients, got " + count);
        }
        for (int i = 0; i < n; i++) {
            if (!(roundSeconds[i] >= 0) || Double.isInfinite(roundSeconds[i])) {
                throw new IllegalArgumentException("round time of client " + i + " must be >= 0 and finite, got "
                        + roundSeconds[i]);
            }
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> roundSeconds[i]).thenComparingInt(i -> i));
        int[] tierOf = new int[n];
        List<List<Integer>> members = new ArrayList<>();
        int next = 0;
        for (int t = 0; t < count; t++) {
            int size = n / count + (t < n % count ? 1 : 0);
            List<Integer> tier = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                int client = order[next++];
                tierOf[client] = t;
                tier.add(client);
            }
            tier.sort(null);
            members.add(List.copyOf(tier));
        }
        return new Tiers(tierOf, List.copyOf(members));
    }

    public int count() {
        return members.size();
    }

    /** The tier of client {@code clientId}. */
    public int tierOf(int clientId) {
        return tierOf[clientId];
    }

    /** The clients of tier {@code tier}, ascending. */
    public List<Integer> members(int tier) {
        return members.get(tier);
    }
}
