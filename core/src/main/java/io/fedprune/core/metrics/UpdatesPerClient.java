package io.fedprune.core.metrics;

import java.util.Arrays;

/**
 * Accepted client updates per client id over a run: how evenly a method spreads the work (PR-FL's
 * claim is that FedAsync lets its fastest clients send several times more than its slowest).
 * Indexed by client id, so a run of 100 000 clients costs one {@code int} per client. Immutable.
 */
public final class UpdatesPerClient {
    private static final UpdatesPerClient NONE = new UpdatesPerClient(new int[0]);

    private final int[] counts;
    private final int min;
    private final int max;
    private final long total;

    private UpdatesPerClient(int[] counts) {
        this.counts = counts;
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        long sum = 0;
        for (int c : counts) {
            if (c > 0) {
                lo = Math.min(lo, c);
            }
            hi = Math.max(hi, c);
            sum += c;
        }
        this.min = hi == 0 ? 0 : lo;
        this.max = hi;
        this.total = sum;
    }

    /** A copy of {@code counts}, index = client id. */
    public static UpdatesPerClient of(int[] counts) {
        return counts.length == 0 ? NONE : new UpdatesPerClient(counts.clone());
    }

    /** Not counted (a run stopped before the aggregator answered, or read from an older summary). */
    public static UpdatesPerClient none() {
        return NONE;
    }

    /** Client ids covered: one past the highest id that sent an accepted update (or was sized for). */
    public int clients() {
        return counts.length;
    }

    public int get(int clientId) {
        return clientId < counts.length ? counts[clientId] : 0;
    }

    public int[] toArray() {
        return counts.clone();
    }

    public long total() {
        return total;
    }

    /**
     * The fewest updates of a client that sent any, 0 if none did: a client that never got an
     * update through (dropped at once, or never picked) says nothing about how evenly work spreads.
     */
    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    /** max / min over clients with at least one update; null when no client sent one. */
    public Double maxOverMin() {
        return max == 0 ? null : (double) max / min;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpdatesPerClient u && Arrays.equals(counts, u.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return counts.length <= 20 ? Arrays.toString(counts)
                : counts.length + " clients, " + min + "–" + max + " updates each";
    }
}
