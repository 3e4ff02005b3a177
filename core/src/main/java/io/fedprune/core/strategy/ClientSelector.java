package io.fedprune.core.strategy;

import java.util.List;
import java.util.SplittableRandom;

/** Which clients take part in a synchronous round (uniform now; tiers later). */
public interface ClientSelector {

    /**
     * @param available the ids of clients that can take work, ascending
     * @param round     the round about to start (1, 2, ...)
     * @param rng       the server's seeded generator: draw only from it, so runs repeat
     * @return the participants, ascending, a subset of {@code available}
     */
    List<Integer> select(List<Integer> available, long round, SplittableRandom rng);
}
