package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirichletPartitionerTest {

    private static final int[] LABELS = PartitionChecks.balancedLabels(5000, 10);

    @Test
    void smallAlphaIsMoreSkewedThanLargeAlpha() {
        double skewed = PartitionChecks.meanMaxClassShare(new DirichletPartitioner(0.1, 0).partition(LABELS, 10, 20, 1), LABELS, 10);
        double mild = PartitionChecks.meanMaxClassShare(new DirichletPartitioner(100, 0).partition(LABELS, 10, 20, 1), LABELS, 10);
        assertTrue(skewed > 0.5, "alpha=0.1 should give each client a dominant class, mean max share " + skewed);
        assertTrue(mild < 0.2, "alpha=100 should be close to IID, mean max share " + mild);
        assertTrue(skewed > mild + 0.3, skewed + " vs " + mild);
    }

    @Test
    void everyClientGetsTheMinimum() {
        for (long seed = 0; seed < 5; seed++) {
            List<Shard> shards = new DirichletPartitioner(0.1, 40).partition(LABELS, 10, 25, seed);
            PartitionChecks.assertDisjointSortedCover(shards, LABELS.length, 25);
            for (Shard s : shards) {
                assertTrue(s.size() >= 40, "seed " + seed + ": " + s);
            }
        }
    }

    @Test
    void tinyAlphaStaysWellDefined() {
        // alpha = 0.001 underflows U^(1/alpha) in plain doubles; the log-space sampler must cope.
        List<Shard> shards = new DirichletPartitioner(0.001, 0).partition(LABELS, 10, 10, 5);
        PartitionChecks.assertDisjointSortedCover(shards, LABELS.length, 10);
        // Per class: the fraction that went to the client receiving most of it.
        int[][] perClientClass = new int[10][10];
        for (Shard s : shards) {
            for (int i : s.indices()) {
                perClientClass[LABELS[i]][s.clientId()]++;
            }
        }
        for (int c = 0; c < 10; c++) {
            int max = Arrays.stream(perClientClass[c]).max().orElseThrow();
            assertTrue(max >= 0.95 * 500, "class " + c + " should go (almost) entirely to one client: " + Arrays.toString(perClientClass[c]));
        }
    }

    @Test
    void impossibleMinimumFailsClearly() {
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> new DirichletPartitioner(1, 600).partition(LABELS, 10, 10, 1));
        assertTrue(tooFew.getMessage().contains("only 5000 samples"), tooFew.getMessage());

        // Feasible in total, but with alpha this small some client is nearly always short.
        IllegalArgumentException attempts = assertThrows(IllegalArgumentException.class,
                () -> new DirichletPartitioner(0.01, 400).partition(LABELS, 10, 12, 1));
        assertTrue(attempts.getMessage().contains("1000 attempts") && attempts.getMessage().contains("raise alpha"),
                attempts.getMessage());
    }

    @Test
    void validatesParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(0));
        assertTrue(e.getMessage().contains("alpha must be a finite number > 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(-1));
        assertThrows(IllegalArgumentException.class, () -> new DirichletPartitioner(0.5, -1));
        assertEquals(DirichletPartitioner.DEFAULT_MIN_SAMPLES, new DirichletPartitioner(0.5).minSamplesPerClient());
    }
}
