package io.fedprune.core.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each attack against its formula written out here, on seeded random models. */
class AttackTest {
    static final SplittableRandom RNG = new SplittableRandom(5);

    static float[] random(int n) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            v[j] = (float) RNG.nextGaussian();
        }
        return v;
    }

    static float[] near(float[] base, double spread) {
        float[] v = base.clone();
        for (int j = 0; j < v.length; j++) {
            v[j] += (float) (spread * RNG.nextGaussian());
        }
        return v;
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += ((double) a[j] - b[j]) * ((double) a[j] - b[j]);
        }
        return Math.sqrt(s);
    }

    @Test
    void signFlipReversesAndMagnifiesTheUpdate() {
        float[] received = random(50);
        float[] trained = near(received, 0.1);
        float[] copyR = received.clone();
        float[] copyT = trained.clone();
        float[] sent = Attack.of("sign-flip", 10).forge(received, trained, 1);
        for (int j = 0; j < sent.length; j++) {
            double expected = received[j] - 10 * ((double) trained[j] - received[j]);
            assertEquals(expected, sent[j], 1e-5, "entry " + j);
            // on the other side of the received model from the honest one, unless it did not move
            assertTrue((sent[j] - received[j]) * (trained[j] - received[j]) <= 0, "entry " + j);
        }
        assertEquals(10 * distance(received, trained), distance(received, sent), 1e-4);
        assertArrayEquals(copyR, received, "inputs are not changed");
        assertArrayEquals(copyT, trained, "inputs are not changed");
    }

    @Test
    void scaleBoostsTheUpdateAlongItsOwnDirection() {
        float[] received = random(50);
        float[] trained = near(received, 0.1);
        float[] sent = Attack.of("scale", 4).forge(received, trained, 1);
        for (int j = 0; j < sent.length; j++) {
            assertEquals(received[j] + 4 * ((double) trained[j] - received[j]), sent[j], 1e-5, "entry " + j);
        }
        assertEquals(4 * distance(received, trained), distance(received, sent), 1e-4);
        // factor 1 is the honest upload
        assertArrayEquals(trained, Attack.of("scale", 1).forge(received, trained, 1));
    }

    @Test
    void noiseIsSeededAndAsFarAsAScaledUpdateInARandomDirection() {
        float[] received = random(20_000);
        float[] trained = near(received, 0.01);
        Attack noise = Attack.of("noise", 3);
        float[] a = noise.forge(received, trained, 42);
        assertArrayEquals(a, noise.forge(received, trained, 42), "the same seed forges the same values");
        assertTrue(!Arrays.equals(a, noise.forge(received, trained, 43)), "another seed, other values");
        double expected = 3 * distance(received, trained);
        assertEquals(expected, distance(received, a), 0.03 * expected, "expected norm factor·|Δ|");
        // unrelated to the honest update: the cosine with it is near 0
        double dot = 0;
        for (int j = 0; j < a.length; j++) {
            dot += ((double) a[j] - received[j]) * ((double) trained[j] - received[j]);
        }
        double cosine = dot / (distance(received, a) * distance(received, trained));
        assertTrue(Math.abs(cosine) < 0.05, "cosine " + cosine);
        // an update of zero gets no noise: nothing to hide behind
        assertArrayEquals(received, noise.forge(received, received.clone(), 42));
    }

    @Test
    void nanSendsNothingFinite() {
        float[] sent = Attack.of("nan", 1).forge(random(30), random(30), 1);
        for (float v : sent) {
            assertTrue(Float.isNaN(v));
        }
        assertEquals(30, sent.length);
    }

    @Test
    void parsesKindsAndRefusesBadOnes() {
        assertInstanceOf(Attack.SignFlip.class, Attack.of(" Sign-Flip ", 2));
        assertEquals(2.0, Attack.of("sign-flip", 2).factor());
        assertEquals("scale", Attack.of("scale", 2).kind());
        assertEquals(Attack.KINDS, Attack.KINDS.stream().map(k -> Attack.of(k, 1).kind()).toList());
        assertEquals("unknown attack kind 'flip'; expected one of [sign-flip, scale, noise, nan]",
                assertThrows(IllegalArgumentException.class, () -> Attack.of("flip", 1)).getMessage());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Attack.of("scale", bad), "factor " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Attack.of("sign-flip", 2).forge(new float[3],
                new float[4], 1));
        assertNotEquals(Attack.of("scale", 2), Attack.of("scale", 3));
    }
}
