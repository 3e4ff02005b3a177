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
        List<Integer> ids = new ArrayList<>(available);
        int m = Math.min(ids.size(), Math.max(1, (int) Math.round(fraction * ids.size())));
        // partial Fisher-Yates: the first m entries are a uniform sample without replacement
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(ids.size() - i);
            Integer t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        List<Integer> selected = new ArrayList<>(ids.subList(0, m));
        selected.sort(null);
        return selected;
    }
}
