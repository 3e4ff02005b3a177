package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract of {@link Partitioner}, checked for every implementation. */
class PartitionerContractTest {

    static Stream<Partitioner> partitioners() {
        return Stream.of(new IidPartitioner(), new DirichletPartitioner(0.5), new DirichletPartitioner(0.1, 5),
                new ShardPartitioner(1), new ShardPartitioner(2), new ShardPartitioner(3));
    }

    /** Imbalanced on purpose: class c has 50 + 13c samples, interleaved. */
    static int[] imbalancedLabels() {
        int[] counts = new int[10];
        int n = 0;
        for (int c = 0; c < 10; c++) {
            counts[c] = 50 + 13 * c;
            n += counts[c];
        }
        int[] labels = new int[n];
        int i = 0;
        while (i < n) {
            for (int c = 0; c < 10 && i < n; c++) {
                if (counts[c] > 0) {
                    counts[c]--;
                    labels[i++] = c;
                }
            }
        }
        return labels;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitioners")
    void disjointSortedCoverOfAllIndices(Partitioner p) {
        int[] labels = imbalancedLabels();
        for (int clients : new int[] {1, 7, 20}) {
            List<Shard> shards = p.partition(labels, 10, clients, 42);
            PartitionChecks.assertDisjointSortedCover(shards, labels.length, clients);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitioners")
    void deterministicForSeedAndSeedMatters(Partitioner p) {
        int[] labels = imbalancedLabels();
        List<Shard> a = p.partition(labels, 10, 10, 7);
        List<Shard> b = p.partition(labels, 10, 10, 7);
        List<Shard> c = p.partition(labels, 10, 10, 8);
        boolean anyDifferent = false;
        for (int k = 0; k < 10; k++) {
            assertArrayEquals(a.get(k).indices(), b.get(k).indices(), "client " + k);
            anyDifferent |= !java.util.Arrays.equals(a.get(k).indices(), c.get(k).indices());
        }
        assertTrue(anyDifferent, "seed 8 gave the same split as seed 7");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitioners")
    void validatesClientCount(Partitioner p) {
        int[] labels = {0, 1, 0, 1};
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> p.partition(labels, 2, 0, 1));
        assertTrue(zero.getMessage().contains("numClients must be >= 1"), zero.getMessage());
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> p.partition(labels, 2, 5, 1));
        assertTrue(many.getMessage().contains("numClients must be <= the number of samples (4)"), many.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> p.partition(new int[] {0, 2}, 2, 1, 1));
        assertTrue(label.getMessage().contains("label 2 at index 1"), label.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partitioners")
    void describeParsesBack(Partitioner p) {
        assertEquals(p, Partitioners.parse(p.describe()));
        assertFalse(p.describe().isBlank());
    }
}
