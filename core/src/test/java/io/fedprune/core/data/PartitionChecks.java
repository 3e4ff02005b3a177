package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Assertions and measurements shared by the partitioner tests. */
final class PartitionChecks {

    private PartitionChecks() {
    }

    static void assertDisjointSortedCover(List<Shard> shards, int n, int numClients) {
        assertEquals(numClients, shards.size(), "one shard per client");
        boolean[] seen = new boolean[n];
        int total = 0;
        for (int c = 0; c < numClients; c++) {
            Shard s = shards.get(c);
            assertEquals(c, s.clientId(), "shards ordered by clientId");
            int[] idx = s.indices();
            for (int k = 0; k < idx.length; k++) {
                assertTrue(idx[k] >= 0 && idx[k] < n, "index in range: " + idx[k]);
                assertTrue(k == 0 || idx[k - 1] < idx[k], "client " + c + " indices sorted ascending");
                assertTrue(!seen[idx[k]], "index " + idx[k] + " appears twice");
                seen[idx[k]] = true;
            }
            total += idx.length;
        }
        assertEquals(n, total, "every index assigned");
    }

    /** Number of distinct labels in a shard. */
    static int distinctClasses(Shard s, int[] labels, int numClasses) {
        boolean[] present = new boolean[numClasses];
        int count = 0;
        for (int i : s.indices()) {
            if (!present[labels[i]]) {
                present[labels[i]] = true;
                count++;
            }
        }
        return count;
    }

    /** Mean over clients of the fraction of the client's samples that belong to its largest class. */
    static double meanMaxClassShare(List<Shard> shards, int[] labels, int numClasses) {
        double sum = 0;
        for (Shard s : shards) {
            int[] counts = new int[numClasses];
            int max = 0;
            for (int i : s.indices()) {
                max = Math.max(max, ++counts[labels[i]]);
            }
            sum += s.size() == 0 ? 1.0 : (double) max / s.size();
        }
        return sum / shards.size();
    }

    /** n samples, labels i % numClasses (balanced). */
    static int[] balancedLabels(int n, int numClasses) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return labels;
    }
}
