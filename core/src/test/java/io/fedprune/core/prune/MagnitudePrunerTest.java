package io.fedprune.core.prune;

import static io.fedprune.core.prune.MaskTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MagnitudePrunerTest {

    @Test
    void agreesWithSortingReferenceOnRandomInputs() {
        SplittableRandom rng = new SplittableRandom(10);
        for (int round = 0; round < 400; round++) {
            int n = rng.nextInt(4) == 0 ? rng.nextInt(5) : rng.nextInt(700);
            float[] p = Reference.randomValues(rng, n);
            double keep = Reference.randomDensity(rng);
            float[] abs = new float[n];
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(p[i]);
            }
            List<Integer> all = IntStream.range(0, n).boxed().collect(Collectors.toList());
            Mask expected = Reference.toMask(Reference.topK(abs, all, (int) Math.round(keep * n)));
            Mask got = MagnitudePruner.keepLargest(p, keep);
            assertEquals(expected, got, "n=" + n + " keep=" + keep);
            assertEquals(Math.round(keep * n), got.cardinality());
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndSignDoesNotMatter() {
        float[] p = {1f, -3f, 3f, -1f, 0f, -0f, 3f, 2f};
        assertEquals(Mask.fromIndices(8, new int[] {1, 2}), MagnitudePruner.keepLargest(p, 0.25));
        assertEquals(Mask.fromIndices(8, new int[] {1, 2, 6}), MagnitudePruner.keepLargest(p, 3 / 8.0));
        // 4.5/8 rounds to 5 of 8 (0.5625 * 8 = 4.5 -> 5): the tie 1 vs -1 keeps index 0
        assertEquals(Mask.fromIndices(8, new int[] {0, 1, 2, 6, 7}), MagnitudePruner.keepLargest(p, 0.5625));
        // both zeros tie; index 4 wins over index 5
        assertEquals(Mask.fromIndices(8, new int[] {0, 1, 2, 3, 4, 6, 7}), MagnitudePruner.keepLargest(p, 7 / 8.0));
        assertEquals(Mask.all(8), MagnitudePruner.keepLargest(p, 1.0));
        assertEquals(Mask.none(8), MagnitudePruner.keepLargest(p, 0.0));
        assertEquals(Mask.all(0), MagnitudePruner.keepLargest(new float[0], 0.5));
    }

    @Test
    void invalidInputIsRejected() {
        float[] p = {1f, 2f};
        assertMessage(() -> MagnitudePruner.keepLargest(p, -0.01), "keepFraction", "-0.01");
        assertMessage(() -> MagnitudePruner.keepLargest(p, 1.5), "keepFraction", "1.5");
        assertMessage(() -> MagnitudePruner.keepLargest(p, Double.NaN), "keepFraction", "NaN");
        float[] nan = {1f, Float.NaN, 2f};
        assertMessage(() -> MagnitudePruner.keepLargest(nan, 0.5), "index 1", "NaN");
        assertMessage(() -> MagnitudePruner.keepLargest(nan, 0.0), "NaN");
    }

    @Test
    void tenMillionParametersIsFast() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] p = new float[10_000_000];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) rng.nextGaussian();
        }
        Mask m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> MagnitudePruner.keepLargest(p, 0.1));
        assertEquals(1_000_000, m.cardinality());
        // every kept magnitude is >= every dropped one
        float minKept = Float.POSITIVE_INFINITY;
        float maxDropped = 0f;
        for (int i = 0; i < p.length; i++) {
            if (m.get(i)) {
                minKept = Math.min(minKept, Math.abs(p[i]));
            } else {
                maxDropped = Math.max(maxDropped, Math.abs(p[i]));
            }
        }
        assertTrue(minKept >= maxDropped, minKept + " < " + maxDropped);
    }
}
