package io.fedprune.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The IID baseline: shuffle all indices, then cut them into {@code numClients} parts whose sizes differ
 * by at most one (the first {@code n % numClients} clients get the extra sample).
 */
public record IidPartitioner() implements Partitioner {

    @Override
    public List<Shard> partition(int[] labels, int numClasses, int numClients, long seed) {
        PartitionSupport.validate(labels, numClasses, numClients);
        int n = labels.length;
        int[] order = PartitionSupport.range(n);
        Shuffle.inPlace(order, new SplittableRandom(seed));
        int[][] perClient = new int[numClients][];
        int base = n / numClients;
        int extra = n % numClients;
        int from = 0;
        for (int c = 0; c < numClients; c++) {
            int len = base + (c < extra ? 1 : 0);
            perClient[c] = Arrays.copyOfRange(order, from, from + len);
            from += len;
        }
        return PartitionSupport.toShards(perClient);
    }

    @Override
    public String describe() {
        return "iid";
    }
}
