package io.fedprune.core.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.ModelState;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UpdateValidatorTest {
    private static final int CLIENT = 42;
    private final ModelState global = new ModelState(new float[8], 10);

    private static float[] good(int n) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = i - 3.5f;
        }
        return p;
    }

    private record U(float[] params, long samples, long base) {
    }

    private static void check(U u, ModelState global) {
        UpdateValidator.validate(CLIENT, u.params(), u.samples(), 1000, u.base(), global);
    }

    private void assertRejected(U u, String... fragments) {
        InvalidUpdateException e = assertThrows(InvalidUpdateException.class, () -> check(u, global));
        String m = e.getMessage();
        assertTrue(m.contains("client " + CLIENT), "message must name the client: " + m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message must contain '" + f + "': " + m);
        }
    }

    @Test
    void goodUpdatesPass() {
        assertDoesNotThrow(() -> check(new U(good(8), 1, 10), global));
        assertDoesNotThrow(() -> check(new U(good(8), 500, 0), global));
        float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0.0f, 0, 1, -1, 3};
        assertDoesNotThrow(() -> check(new U(extremes, 3, 7), global));
    }

    @Test
    void wrongLength() {
        assertRejected(new U(good(7), 5, 10), "7", "8");
        assertRejected(new U(good(9), 5, 10), "9", "8");
        assertRejected(new U(new float[0], 5, 10), "0 parameters");
    }

    @Test
    void nonFiniteValuesAreRejectedWhereverTheyAre() {
        SplittableRandom rng = new SplittableRandom(4);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] p = good(8);
                int at = rng.nextInt(8);
                p[at] = bad;
                assertRejected(new U(p, 5, 10), String.valueOf(bad), "parameter " + at);
            }
        }
        // -Infinity is reported as such, not as +Infinity
        float[] p = good(8);
        p[2] = Float.NEGATIVE_INFINITY;
        assertRejected(new U(p, 5, 10), "-Infinity");
    }

    @Test
    void sampleCountMustBePositive() {
        assertRejected(new U(good(8), 0, 10), "0 training samples");
        assertRejected(new U(good(8), -3, 10), "-3 training samples");
    }

    @Test
    void sampleCountMustNotExceedWhatTheClientCanHave() {
        assertRejected(new U(good(8), 1001, 10), "1001 training samples", "at most 1000");
        assertDoesNotThrow(() -> check(new U(good(8), 1000, 10), global));
    }

    @Test
    void baseVersionMustNotBeInTheFutureOrNegative() {
        assertRejected(new U(good(8), 5, 11), "base version 11", "version 10");
        assertRejected(new U(good(8), 5, -1), "base version -1");
    }
}
