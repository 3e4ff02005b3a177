package io.fedprune.core.strategy;

import java.util.List;

/**
 * A strategy paced by {@link Pacing.Tiered}: clients in tiers, tier m joining the global
 * aggregation every m ticks (TT-Fed, ALGORITHMS.md §2). At tick k the server first calls
 * {@link Strategy#onTick} (the tiers due at k aggregate), then {@link #startingAt} to learn who
 * begins a local round from the model just published; a client's round must end before tick
 * {@link #deadlineTick}.
 */
public interface TieredStrategy extends Strategy {

    /**
     * The clients among {@code available} (ascending) that start a local round at tick {@code tick}
     * (tick 0 is the run's start); called once per tick, after {@link Strategy#onTick}.
     */
    List<Integer> startingAt(long tick, List<Integer> available);

    /** The tier (1 = fastest) client {@code clientId} was last given work in; 0 if never. */
    int tierOf(int clientId);

    /** The tick by which the round client {@code clientId} started at {@code startTick} must have ended. */
    long deadlineTick(int clientId, long startTick);
}
