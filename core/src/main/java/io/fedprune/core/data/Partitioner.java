package io.fedprune.core.data;

import java.util.List;

/**
 * Splits a dataset's sample indices among clients, which is how federated experiments model data
 * heterogeneity (IID, Dirichlet label skew, k-class shards).
 *
 * <p>Contract for every implementation: the result has exactly {@code numClients} shards ordered by
 * clientId 0..numClients-1; every index 0..labels.length-1 appears in exactly one shard; each shard's
 * indices are sorted ascending; the result depends only on the arguments, so the same seed always gives
 * the same split (experiments must be repeatable). {@code numClients} must lie in
 * {@code [1, labels.length]}.
 */
public interface Partitioner {

    /**
     * @param labels     the label of every sample, each in {@code [0, numClasses)}
     * @param numClasses number of classes
     * @param numClients number of shards to make
     * @param seed       all randomness comes from this
     */
    List<Shard> partition(int[] labels, int numClasses, int numClients, long seed);

    /** Short spec of this partitioner, in the form {@link Partitioners#parse(String)} accepts. */
    String describe();
}
