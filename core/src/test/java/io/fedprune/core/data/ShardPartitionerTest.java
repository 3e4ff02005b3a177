package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardPartitionerTest {

    @Test
    void exactlyKClassesPerClientOnBalancedData() {
        // 3000 samples, 300 per class; every (k, clients) pair below cuts shards whose size divides 300,
        // so each shard is a single class.
        int[] labels = PartitionChecks.balancedLabels(3000, 10);
        int[][] cases = {{1, 10}, {1, 50}, {2, 10}, {2, 50}, {2, 100}, {3, 10}, {3, 20}, {3, 100}};
        for (int[] kc : cases) {
            int k = kc[0];
            int clients = kc[1];
            for (long seed = 0; seed < 5; seed++) {
                List<Shard> shards = new ShardPartitioner(k).partition(labels, 10, clients, seed);
                PartitionChecks.assertDisjointSortedCover(shards, labels.length, clients);
                for (Shard s : shards) {
                    assertEquals(k, PartitionChecks.distinctClasses(s, labels, 10),
                            "k=" + k + " clients=" + clients + " seed=" + seed + " " + s);
                    assertEquals(3000 / clients, s.size());
                }
            }
        }
    }

    @Test
    void tooManyShardsForTheData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardPartitioner(3).partition(PartitionChecks.balancedLabels(10, 2), 2, 4, 1));
        assertTrue(e.getMessage().contains("needs 12 shards") && e.getMessage().contains("only 10 samples"), e.getMessage());
    }

    @Test
    void validatesK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardPartitioner(0));
        assertTrue(e.getMessage().contains("classesPerClient must be >= 1"), e.getMessage());
    }
}
