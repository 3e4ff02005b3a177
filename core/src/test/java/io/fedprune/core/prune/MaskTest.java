package io.fedprune.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaskTest {

    private static boolean[] randomBits(SplittableRandom rng, int n) {
        boolean[] b = new boolean[n];
        double p = rng.nextDouble();
        for (int i = 0; i < n; i++) {
            b[i] = rng.nextDouble() < p;
        }
        return b;
    }

    private static void assertMatches(boolean[] expected, Mask m) {
        assertEquals(expected.length, m.size());
        int card = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], m.get(i), "bit " + i);
            card += expected[i] ? 1 : 0;
        }
        assertEquals(card, m.cardinality());
        assertEquals(expected.length == 0 ? 1.0 : (double) card / expected.length, m.density());
        int[] idx = IntStream.range(0, expected.length).filter(i -> expected[i]).toArray();
        assertArrayEquals(idx, m.indices());
    }

    @Test
    void allAndNone() {
        for (int n : new int[] {0, 1, 63, 64, 65, 128, 130}) {
            boolean[] t = new boolean[n];
            java.util.Arrays.fill(t, true);
            assertMatches(t, Mask.all(n));
            assertMatches(new boolean[n], Mask.none(n));
            assertEquals(Mask.all(n), Mask.fromWords(n, Mask.all(n).words()));
        }
        assertEquals(1.0, Mask.none(0).density());
    }

    @Test
    void constructorsAgreeWithReferenceOnRandomBits() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int round = 0; round < 200; round++) {
            int n = rng.nextInt(300);
            boolean[] b = randomBits(rng, n);
            int[] idx = IntStream.range(0, n).filter(i -> b[i]).toArray();
            // any order, with duplicates
            int[] shuffled = IntStream.concat(IntStream.of(idx), IntStream.of(idx)).toArray();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            Mask m = Mask.fromIndices(n, shuffled);
            assertMatches(b, m);
            assertEquals(m, Mask.fromWords(n, m.words()));
            assertEquals(m.hashCode(), Mask.fromWords(n, m.words()).hashCode());

            float[] params = new float[n];
            for (int i = 0; i < n; i++) {
                params[i] = b[i] ? (rng.nextBoolean() ? 1f : -2.5f) : (rng.nextBoolean() ? 0f : -0f);
            }
            assertEquals(m, Mask.nonZero(params));
        }
    }

    @Test
    void applyToZeroesExactlyTheDroppedEntries() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int round = 0; round < 100; round++) {
            int n = rng.nextInt(300);
            boolean[] b = randomBits(rng, n);
            Mask m = Reference.toMask(b);
            float[] p = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = (float) rng.nextGaussian() + 10f;
            }
            float[] q = p.clone();
            m.applyTo(q);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i] ? p[i] : 0f, q[i]);
            }
        }
    }

    @Test
    void setAlgebraAgreesWithBooleanArrays() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            int n = rng.nextInt(200);
            boolean[] a = randomBits(rng, n);
            boolean[] b = rng.nextInt(4) == 0 ? a.clone() : randomBits(rng, n);
            boolean[] and = new boolean[n];
            boolean[] or = new boolean[n];
            boolean sub = true;
            for (int i = 0; i < n; i++) {
                and[i] = a[i] && b[i];
                or[i] = a[i] || b[i];
                sub &= !a[i] || b[i];
            }
            Mask ma = Reference.toMask(a);
            Mask mb = Reference.toMask(b);
            assertMatches(and, ma.and(mb));
            assertMatches(or, ma.or(mb));
            assertEquals(sub, ma.isSubsetOf(mb));
            assertTrue(ma.and(mb).isSubsetOf(ma));
            assertTrue(ma.isSubsetOf(ma.or(mb)));
            assertEquals(java.util.Arrays.equals(a, b), ma.equals(mb));
        }
    }

    @Test
    void equalsDistinguishesSize() {
        assertNotEquals(Mask.none(3), Mask.none(4));
        assertNotEquals(Mask.all(3), Mask.none(3));
        assertFalse(Mask.all(3).equals("x"));
        assertEquals("Mask[2/3 kept]", Mask.fromIndices(3, new int[] {0, 2}).toString());
    }

    @Test
    void invalidInputIsRejectedWithClearMessages() {
        assertMessage(() -> Mask.all(-1), "-1");
        assertMessage(() -> Mask.none(-2), "-2");
        assertMessage(() -> Mask.fromIndices(5, new int[] {5}), "5", "[0, 5)");
        assertMessage(() -> Mask.fromIndices(5, new int[] {-1}), "-1");
        assertMessage(() -> Mask.fromWords(65, new long[1]), "65", "2 words", "got 1");
        assertMessage(() -> Mask.fromWords(3, new long[] {8L}), "beyond size 3");
        assertMessage(() -> Mask.all(3).applyTo(new float[4]), "3", "4");
        assertMessage(() -> Mask.all(3).and(Mask.all(4)), "3", "4");
        assertMessage(() -> Mask.all(3).or(Mask.all(4)), "3", "4");
        assertMessage(() -> Mask.all(3).isSubsetOf(Mask.all(4)), "3", "4");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Mask.all(3).get(3));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void wordsIsADefensiveCopy() {
        Mask m = Mask.none(70);
        long[] w = m.words();
        w[0] = -1L;
        assertEquals(0, m.cardinality());
        long[] src = new long[] {1L, 0L};
        Mask f = Mask.fromWords(70, src);
        src[0] = 3L;
        assertEquals(1, f.cardinality());
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }
}
