package io.fedprune.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Validation and small helpers shared by the partitioners. Package-private: not part of the API. */
final class PartitionSupport {

    private PartitionSupport() {
    }

    /** Checks the arguments every partitioner takes, with messages naming what was expected. */
    static void validate(int[] labels, int numClasses, int numClients) {
        Objects.requireNonNull(labels, "labels");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1 but was " + numClasses);
        }
        if (numClients < 1) {
            throw new IllegalArgumentException("numClients must be >= 1 but was " + numClients);
        }
        if (numClients > labels.length) {
            throw new IllegalArgumentException("numClients must be <= the number of samples (" + labels.length
                    + ") so that every client gets at least one sample, but was " + numClients);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is out of range, expected 0.."
                        + (numClasses - 1) + " for " + numClasses + " classes");
            }
        }
    }


    /** 0..n-1. */
    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Sample indices grouped by class, each group in ascending index order. */
    static int[][] indicesByClass(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        return byClass;
    }

    /** Wraps per-client index arrays into shards, sorting each (the contract asks for ascending order). */
    static List<Shard> toShards(int[][] perClient) {
        List<Shard> shards = new ArrayList<>(perClient.length);
        for (int c = 0; c < perClient.length; c++) {
            int[] idx = perClient[c];
            Arrays.sort(idx);
            shards.add(new Shard(c, idx));
        }
        return List.copyOf(shards);
    }
}
