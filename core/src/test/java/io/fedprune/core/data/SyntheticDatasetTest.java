package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDatasetTest {

    @Test
    void deterministicInSeed() {
        Dataset a = SyntheticDataset.gaussianClusters(300, 5, 1, 4, 4, 0.1, 9);
        Dataset b = SyntheticDataset.gaussianClusters(300, 5, 1, 4, 4, 0.1, 9);
        Dataset c = SyntheticDataset.gaussianClusters(300, 5, 1, 4, 4, 0.1, 10);
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.features(), c.features()));
    }

    @Test
    void shapeBalanceAndRange() {
        Dataset ds = SyntheticDataset.gaussianClusters(1003, 10, 3, 2, 2, 0.5, 1);
        assertEquals(1003, ds.size());
        assertEquals(12, ds.featureSize());
        assertEquals(3, ds.channels());
        int[] counts = ds.classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(c < 3 ? 101 : 100, counts[c], "class " + c);
        }
        for (float v : ds.features()) {
            assertTrue(v >= 0f && v <= 1f, "value " + v);
        }
        // Shuffled: not simply 0,1,2,...
        assertFalse(Arrays.equals(PartitionChecks.balancedLabels(1003, 10), ds.labels()));
    }

    /**
     * With low noise the classes must be separable; a nearest-class-mean rule (fitted on the first half,
     * tested on the second) is a cheap stand-in for "a small MLP can learn it".
     */
    @Test
    void lowNoiseIsSeparable() {
        Dataset ds = SyntheticDataset.gaussianClusters(2000, 10, 1, 4, 4, 0.1, 3);
        int d = ds.featureSize();
        double[][] centroid = new double[10][d];
        int[] n = new int[10];
        for (int i = 0; i < 1000; i++) {
            n[ds.label(i)]++;
            for (int j = 0; j < d; j++) {
                centroid[ds.label(i)][j] += ds.features()[i * d + j];
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int j = 0; j < d; j++) {
                centroid[c][j] /= n[c];
            }
        }
        int correct = 0;
        for (int i = 1000; i < 2000; i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = ds.features()[i * d + j] - centroid[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            correct += best == ds.label(i) ? 1 : 0;
        }
        assertTrue(correct >= 980, "nearest-mean accuracy " + correct + "/1000");
    }

    @Test
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.gaussianClusters(0, 2, 1, 1, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.gaussianClusters(10, 0, 1, 1, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.gaussianClusters(10, 2, 1, 0, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.gaussianClusters(10, 2, 1, 1, 1, -0.1, 1));
    }

    @Test
    void sameProblemSeedGivesATrainAndTestSetOfOneProblem() {
        Dataset train = SyntheticDataset.gaussianClusters(500, 10, 1, 4, 4, 0.1, 7, 1);
        Dataset test = SyntheticDataset.gaussianClusters(200, 10, 1, 4, 4, 0.1, 7, 2);
        Dataset otherProblem = SyntheticDataset.gaussianClusters(200, 10, 1, 4, 4, 0.1, 8, 2);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(train.features(), test.features()));
        int d = train.featureSize();
        double[][] means = new double[10][d];
        int[] counts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            counts[train.label(i)]++;
            for (int j = 0; j < d; j++) {
                means[train.label(i)][j] += train.features()[i * d + j];
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] /= counts[c];
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(nearestMeanAccuracy(means, test) > 0.95);
        // another problem's classes map onto this one's means arbitrarily: near chance (0.1)
        double other = nearestMeanAccuracy(means, otherProblem);
        org.junit.jupiter.api.Assertions.assertTrue(other < 0.5, "accuracy on another problem " + other);
    }

    private static double nearestMeanAccuracy(double[][] means, Dataset ds) {
        int d = ds.featureSize();
        int correct = 0;
        for (int i = 0; i < ds.size(); i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int c = 0; c < means.length; c++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = ds.features()[i * d + j] - means[c][j];
                    dist += diff * diff;
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            if (best == ds.label(i)) {
                correct++;
            }
        }
        return (double) correct / ds.size();
    }
}
