package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IidPartitionerTest {

    @Test
    void sizesDifferByAtMostOne() {
        int[] labels = PartitionChecks.balancedLabels(1003, 10);
        List<Shard> shards = new IidPartitioner().partition(labels, 10, 10, 3);
        for (int c = 0; c < 10; c++) {
            int expected = c < 3 ? 101 : 100;
            assertTrue(shards.get(c).size() == expected, "client " + c + " has " + shards.get(c).size());
        }
    }

    @Test
    void isRoughlyBalancedInClasses() {
        int[] labels = PartitionChecks.balancedLabels(5000, 10);
        double share = PartitionChecks.meanMaxClassShare(new IidPartitioner().partition(labels, 10, 10, 3), labels, 10);
        assertTrue(share < 0.16, "IID clients should look like the whole set (max class share ~0.1) but got " + share);
    }
}
