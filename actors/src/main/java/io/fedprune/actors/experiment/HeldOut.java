package io.fedprune.actors.experiment;

import io.fedprune.core.data.Dataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training data split into what clients get and a validation part held out of every shard
 * ({@code fedprune.data.validation-samples}): a seeded uniform choice, so the same seed holds out
 * the same samples. With nothing held out the training set is returned as it is, so runs without
 * validation are exactly what they were.
 *
 * @param validation the held-out samples, null when none
 */
record HeldOut(Dataset train, Dataset validation) {

    static HeldOut split(Dataset all, int samples, long seed) {
        if (samples == 0) {
            return new HeldOut(all, null);
        }
        if (samples >= all.size()) {
            throw new SettingsException("fedprune.data.validation-samples = " + samples + " leaves no training data: "
                    + "the training set has " + all.size() + " samples");
        }
        int n = all.size();
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x7A11D47E5L);
        // partial Fisher-Yates: the first `samples` entries are a uniform choice without replacement
        for (int i = 0; i < samples; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] held = Arrays.copyOfRange(order, 0, samples);
        int[] kept = Arrays.copyOfRange(order, samples, n);
        Arrays.sort(held); // dataset order inside each part: the partitioners see the usual layout
        Arrays.sort(kept);
        return new HeldOut(all.subset(kept, all.name()), all.subset(held, all.name() + "-validation"));
    }
}
