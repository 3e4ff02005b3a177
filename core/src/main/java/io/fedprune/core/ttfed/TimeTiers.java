package io.fedprune.core.ttfed;

import java.util.Arrays;

/**
 * TT-Fed's tiers (ALGORITHMS.md §2): with T the slowest client's local-round time and ΔT the
 * trigger interval there are M = ⌈T/ΔT⌉ tiers, client u is in tier m_u = ⌈T_u/ΔT⌉ (at least 1),
 * and tier m joins global aggregation at the ticks k with k mod m = 0. As ΔT shrinks every client
 * gets a tier of its own pace (asynchronous FL); once ΔT ≥ T every client is in tier 1 and every
 * tick aggregates everyone (synchronous FL).
 *
 * <p>Round times are what the server observed (or profiled); {@link #observe} keeps a per-client
 * moving window so membership follows changing channels, and {@link #assign} is re-run when it
 * changes. Immutable snapshots: {@link Assignment}.
 */
public final class TimeTiers {

    /**
     * Client u's tier is {@code tierOf[u]} (1..{@code tiers}); {@code tiers} = M.
     *
     * @param deltaSeconds the trigger interval ΔT the tiers were formed for
     */
    public record Assignment(int[] tierOf, int tiers, double deltaSeconds) {

        /** True if tier {@code tier} joins the aggregation at tick {@code k} (k ≥ 1). */
        public boolean joins(int tier, long k) {
            return k % tier == 0;
        }

        /** The clients of tier {@code tier}, ascending. */
        public int[] members(int tier) {
            return java.util.stream.IntStream.range(0, tierOf.length).filter(u -> tierOf[u] == tier).toArray();
        }

        /** How many clients each tier has, index 0 = tier 1. */
        public int[] sizes() {
            int[] n = new int[tiers];
            for (int m : tierOf) {
                n[m - 1]++;
            }
            return n;
        }
    }

    private final double deltaSeconds;
    private final int window;
    private final double[][] recent;
    private final int[] seen;

    /**
     * @param deltaSeconds ΔT, &gt; 0
     * @param clients      number of clients
     * @param window       round times averaged per client (&gt;= 1)
     */
    public TimeTiers(double deltaSeconds, int clients, int window) {
        if (!(deltaSeconds > 0 && Double.isFinite(deltaSeconds))) {
            throw new IllegalArgumentException("the trigger interval must be a positive number of seconds, got "
                    + deltaSeconds);
        }
        if (clients < 1 || window < 1) {
            throw new IllegalArgumentException("clients and window must be >= 1, got " + clients + " and " + window);
        }
        this.deltaSeconds = deltaSeconds;
        this.window = window;
        this.recent = new double[clients][window];
        this.seen = new int[clients];
    }

    /** Tier of a client whose local round takes {@code roundSeconds}: ⌈T_u/ΔT⌉, at least 1. */
    public static int tierOf(double roundSeconds, double deltaSeconds) {
        if (!(roundSeconds >= 0 && Double.isFinite(roundSeconds))) {
            throw new IllegalArgumentException("a round time must be a finite number >= 0 seconds, got " + roundSeconds);
        }
        double m = Math.ceil(roundSeconds / deltaSeconds);
        return m >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(1, m);
    }

    /** Tiers for the given round times (seconds per client). */
    public static Assignment assign(double[] roundSeconds, double deltaSeconds) {
        int[] tierOf = new int[roundSeconds.length];
        int tiers = 1;
        for (int u = 0; u < roundSeconds.length; u++) {
            tierOf[u] = tierOf(roundSeconds[u], deltaSeconds);
            tiers = Math.max(tiers, tierOf[u]);
        }
        return new Assignment(tierOf, tiers, deltaSeconds);
    }

    /** Client {@code u} took {@code roundSeconds} for a local round. */
    public void observe(int u, double roundSeconds) {
        tierOf(roundSeconds, deltaSeconds); // validates
        recent[u][seen[u] % window] = roundSeconds;
        seen[u]++;
    }

    /** Tiers from each client's mean observed round time; clients never observed use {@code fallback[u]}. */
    public Assignment assign(double[] fallback) {
        if (fallback.length != recent.length) {
            throw new IllegalArgumentException("round times for " + fallback.length + " clients, expected "
                    + recent.length);
        }
        double[] t = new double[recent.length];
        for (int u = 0; u < t.length; u++) {
            int n = Math.min(seen[u], window);
            t[u] = n == 0 ? fallback[u] : Arrays.stream(recent[u], 0, n).average().orElseThrow();
        }
        return assign(t, deltaSeconds);
    }
}
