package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A device's test split follows its training label distribution. */
class LabelMatchedSplitTest {

    /** A test set of 10 classes with {@code perClass} samples each, labels interleaved. */
    static Dataset testSet(int perClass) {
        int n = 10 * perClass;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new Dataset("test", new float[n], labels, 10, 1, 1, 1);
    }

    static int[] counts(Dataset d, int[] idx) {
        int[] c = new int[d.numClasses()];
        for (int i : idx) {
            c[d.label(i)]++;
        }
        return c;
    }

    @Test
    void classCountsAreTheLargestRemainderSharesOfTheTrainingDistribution() {
        Dataset test = testSet(100);
        // training shard: 50 % class 3, 30 % class 7, 20 % class 1
        int[] train = new int[100];
        Arrays.fill(train, 0, 50, 3);
        Arrays.fill(train, 50, 80, 7);
        Arrays.fill(train, 80, 100, 1);
        int[] idx = LabelMatchedSplit.draw(test, train, 37, 5);
        int[] c = counts(test, idx);
        // 18.5, 11.1, 7.4 -> 18 + 11 + 7 = 36, the one left to the largest remainder (class 3's .5)
        assertEquals(19, c[3]);
        assertEquals(11, c[7]);
        assertEquals(7, c[1]);
        assertEquals(37, idx.length);
        assertEquals(37, Arrays.stream(idx).distinct().count(), "no sample twice");
        assertArrayEquals(idx, LabelMatchedSplit.draw(test, train, 37, 5), "seeded");
        assertTrue(!Arrays.equals(idx, LabelMatchedSplit.draw(test, train, 37, 6)), "another seed, another draw");
    }

    @Test
    void randomShardsGetSplitsWithinOneSampleOfTheirProportions() {
        Dataset test = testSet(300);
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            int[] train = new int[1 + rng.nextInt(500)];
            double skew = rng.nextDouble();
            for (int i = 0; i < train.length; i++) {
                train[i] = rng.nextDouble() < skew ? rng.nextInt(3) : rng.nextInt(10);
            }
            int size = 1 + rng.nextInt(400);
            int[] c = counts(test, LabelMatchedSplit.draw(test, train, size, trial));
            int[] t = new int[10];
            for (int l : train) {
                t[l]++;
            }
            int total = 0;
            for (int k = 0; k < 10; k++) {
                double want = (double) size * t[k] / train.length;
                assertTrue(Math.abs(c[k] - want) < 1, "trial " + trial + " class " + k + ": " + c[k] + " for " + want);
                total += c[k];
            }
            assertEquals(size, total);
        }
    }

    @Test
    void aClassShortOfSamplesGivesAllItHasAndTheRestGoesToTheOthers() {
        Dataset test = testSet(10); // 10 per class
        int[] train = new int[40];
        Arrays.fill(train, 0, 30, 2); // 75 % class 2
        Arrays.fill(train, 30, 40, 5);
        int[] c = counts(test, LabelMatchedSplit.draw(test, train, 20, 1));
        assertEquals(10, c[2], "all of class 2");
        assertEquals(10, c[5], "the shortfall goes to class 5");
        assertThrows(IllegalArgumentException.class, () -> LabelMatchedSplit.draw(test, train, 101, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelMatchedSplit.draw(test, new int[0], 5, 1));
    }
}
