package io.fedprune.core.data;

import java.util.Objects;

/**
 * One client's view into the shared {@link Dataset}: the indices of its samples, sorted ascending.
 * Holding indices instead of copies keeps memory flat in the number of clients.
 *
 * <p>As with any record holding an array, equality compares the array by reference; compare contents
 * with {@code Arrays.equals(a.indices(), b.indices())}. The array is not copied either, so treat it as
 * read-only.
 */
public record Shard(int clientId, int[] indices) {

    public Shard {
        if (clientId < 0) {
            throw new IllegalArgumentException("clientId must be >= 0 but was " + clientId);
        }
        Objects.requireNonNull(indices, "indices");
    }

    /** Number of samples this client holds. */
    public int size() {
        return indices.length;
    }

    @Override
    public String toString() {
        // The default would print the array's identity hash, which says nothing.
        return "Shard[client " + clientId + ", " + indices.length + " samples]";
    }
}
