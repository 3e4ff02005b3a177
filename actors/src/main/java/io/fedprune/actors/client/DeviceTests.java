package io.fedprune.actors.client;

import io.fedprune.core.data.Dataset;
import java.util.List;

/**
 * Each client's own test split (indices into the shared test set, drawn with its training label
 * distribution), on which it scores the personalized model it receives before a LocalAlt round.
 *
 * @param test      the shared test set (never copied per client)
 * @param splits    per client id, its indices into {@code test}
 * @param batchSize evaluation batch size
 */
public record DeviceTests(Dataset test, List<int[]> splits, int batchSize) {

    public DeviceTests {
        splits = List.copyOf(splits);
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluation batch size must be >= 1, got " + batchSize);
        }
    }

    /** Client {@code id}'s split as a small dataset of its own (made on the trainer thread, then dropped). */
    Dataset of(int id) {
        return test.subset(splits.get(id), test.name() + "-device-" + id);
    }

    boolean has(int id) {
        return id >= 0 && id < splits.size();
    }
}
