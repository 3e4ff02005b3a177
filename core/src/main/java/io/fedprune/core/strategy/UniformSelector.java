package io.fedprune.core.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A uniform sample of {@code max(1, round(fraction * n))} clients without replacement (FedAvg's C). */
public record UniformSelector(double fraction) implements ClientSelector {

    public UniformSelector {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
        }
    }

    @Override
    public List<Integer> select(List<Integer> available, long round, SplittableRandom rng) {
        int m = Math.min(available.size(), Math.max(1, (int) Math.round(fraction * available.size())));
        return sample(available, m, rng);
    }

    /**
     * {@code m} of {@code ids} drawn uniformly without replacement (a partial Fisher-Yates over a
     * copy: the first m entries), in ascending order.
     */
    public static List<Integer> sample(List<Integer> ids, int m, SplittableRandom rng) {
        List<Integer> pool = new ArrayList<>(ids);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(pool.size() - i);
            Integer t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        List<Integer> selected = new ArrayList<>(pool.subList(0, m));
        selected.sort(null);
        return selected;
    }
}
