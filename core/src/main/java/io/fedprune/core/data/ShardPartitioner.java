package io.fedprune.core.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The "pathological non-IID" split of McMahan et al. (2017): sort the samples by label, cut the sorted
 * order into {@code numClients * classesPerClient} equal shards and give each client
 * {@code classesPerClient} random shards. With balanced classes each shard holds one class, so each
 * client sees (at most) {@code classesPerClient} classes.
 *
 * <p>A purely random deal sometimes hands one client two shards of the same class, leaving it with
 * fewer classes than asked for; the experiments read "shards(2)" as "two classes per client", so after
 * the deal, such duplicates are swapped with shards of other clients where a swap keeps both clients
 * free of duplicates. This is best effort: when it is impossible (more classes per client than classes,
 * or strongly imbalanced data) duplicates remain.
 *
 * @param classesPerClient shards per client, >= 1
 */
public record ShardPartitioner(int classesPerClient) implements Partitioner {

    /** Repair passes over all clients; one normally suffices, more only help in crowded cases. */
    private static final int REPAIR_PASSES = 4;

    public ShardPartitioner {
        if (classesPerClient < 1) {
            throw new IllegalArgumentException("classesPerClient must be >= 1 but was " + classesPerClient);
        }
    }

    @Override
    public List<Shard> partition(int[] labels, int numClasses, int numClients, long seed) {
        PartitionSupport.validate(labels, numClasses, numClients);
        int k = classesPerClient;
        long numShardsLong = (long) numClients * k;
        if (numShardsLong > labels.length) {
            throw new IllegalArgumentException("shards(" + k + ") with " + numClients + " clients needs " + numShardsLong
                    + " shards of at least one sample, but there are only " + labels.length + " samples;"
                    + " expected K x clients <= samples: lower K or use fewer clients");
        }
        int numShards = (int) numShardsLong;

        // Sorted by label, ties by index (stable), so the split depends on the labels only.
        int[] sorted = new int[labels.length];
        int pos = 0;
        for (int[] group : PartitionSupport.indicesByClass(labels, numClasses)) {
            System.arraycopy(group, 0, sorted, pos, group.length);
            pos += group.length;
        }
        int[] start = new int[numShards + 1];
        int base = labels.length / numShards;
        int extra = labels.length % numShards;
        for (int s = 0; s < numShards; s++) {
            start[s + 1] = start[s] + base + (s < extra ? 1 : 0);
        }
        int[] shardClass = new int[numShards];
        for (int s = 0; s < numShards; s++) {
            shardClass[s] = dominantClass(labels, sorted, start[s], start[s + 1]);
        }

        SplittableRandom rng = new SplittableRandom(seed);
        // deal[c * k + j] is the j-th shard of client c.
        int[] deal = PartitionSupport.range(numShards);
        Shuffle.inPlace(deal, rng);
        repairDuplicates(deal, shardClass, numClients, k, rng);

        int[][] perClient = new int[numClients][];
        for (int c = 0; c < numClients; c++) {
            int size = 0;
            for (int j = 0; j < k; j++) {
                int s = deal[c * k + j];
                size += start[s + 1] - start[s];
            }
            int[] idx = new int[size];
            int fill = 0;
            for (int j = 0; j < k; j++) {
                int s = deal[c * k + j];
                int len = start[s + 1] - start[s];
                System.arraycopy(sorted, start[s], idx, fill, len);
                fill += len;
            }
            perClient[c] = idx;
        }
        return PartitionSupport.toShards(perClient);
    }

    /** The most frequent label in sorted[from, to); labels there are sorted, so it is the longest run. */
    private static int dominantClass(int[] labels, int[] sorted, int from, int to) {
        int best = labels[sorted[from]];
        int bestRun = 0;
        int run = 0;
        for (int i = from; i < to; i++) {
            run = (i > from && labels[sorted[i]] == labels[sorted[i - 1]]) ? run + 1 : 1;
            if (run > bestRun) {
                bestRun = run;
                best = labels[sorted[i]];
            }
        }
        return best;
    }

    /**
     * Swaps a duplicate-class shard of a client with another client's shard when that leaves neither
     * client with a duplicate. Partners are scanned from a random start so the repair does not favour
     * low client ids.
     */
    private static void repairDuplicates(int[] deal, int[] shardClass, int numClients, int k, SplittableRandom rng) {
        if (k < 2 || numClients < 2) {
            return;
        }
        for (int pass = 0; pass < REPAIR_PASSES; pass++) {
            boolean changed = false;
            boolean anyDuplicate = false;
            for (int c = 0; c < numClients; c++) {
                for (int a = 1; a < k; a++) {
                    int slotA = c * k + a;
                    int classA = shardClass[deal[slotA]];
                    if (!hasClass(deal, shardClass, c, k, classA, slotA, a)) {
                        continue;
                    }
                    anyDuplicate = true;
                    int offset = rng.nextInt(numClients);
                    search:
                    for (int step = 0; step < numClients; step++) {
                        int other = (offset + step) % numClients;
                        if (other == c) {
                            continue;
                        }
                        for (int b = 0; b < k; b++) {
                            int slotB = other * k + b;
                            int classB = shardClass[deal[slotB]];
                            if (!hasClass(deal, shardClass, c, k, classB, slotA, k)
                                    && !hasClass(deal, shardClass, other, k, classA, slotB, k)) {
                                int t = deal[slotA];
                                deal[slotA] = deal[slotB];
                                deal[slotB] = t;
                                changed = true;
                                break search;
                            }
                        }
                    }
                }
            }
            if (!anyDuplicate || !changed) {
                return;
            }
        }
    }

    /** Whether client's slots [0, limit), other than skipSlot, hold a shard of the given class. */
    private static boolean hasClass(int[] deal, int[] shardClass, int client, int k, int cls, int skipSlot, int limit) {
        for (int j = 0; j < limit; j++) {
            int slot = client * k + j;
            if (slot != skipSlot && shardClass[deal[slot]] == cls) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return "shards(" + classesPerClient + ")";
    }
}
