package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfTwoQuantizerTest {

    /** Reference: the nearest of 0 and ±2^k for every k in range, ties to the larger magnitude. */
    static float reference(float x, int minExp, int maxExp) {
        double best = 0;
        double a = Math.abs((double) x);
        for (int k = minExp; k <= maxExp; k++) {
            double p = Math.scalb(1.0, k);
            if (Math.abs(a - p) <= Math.abs(a - best)) {
                best = p;
            }
        }
        return best == 0 ? 0f : (float) (x < 0 ? -best : best); // zero is always +0
    }

    @Test
    void matchesReferenceAndRelativeErrorBound() {
        SplittableRandom rng = new SplittableRandom(5);
        int[][] ranges = {{-28, 2}, {-8, 0}, {-149, 127}, {3, 3}};
        for (int[] r : ranges) {
            PowerOfTwoQuantizer q = new PowerOfTwoQuantizer(r[0], r[1]);
            for (int t = 0; t < 20_000; t++) {
                float x = (float) (Math.scalb(rng.nextDouble(0.5, 1.0), rng.nextInt(r[0] - 3, Math.min(r[1] + 4, 128)))
                        * (rng.nextBoolean() ? 1 : -1));
                float y = q.quantize(x);
                assertEquals(reference(x, r[0], r[1]), y, "q(" + x + ")");
                double a = Math.abs(x);
                double err = Math.abs((double) x - y);
                if (a >= Math.scalb(1.0, r[0]) && a <= Math.scalb(1.0, r[1])) {
                    assertTrue(err <= a * PowerOfTwoQuantizer.RELATIVE_ERROR_BOUND, "relative error of " + x);
                } else if (a < Math.scalb(1.0, r[0])) {
                    assertTrue(err <= Math.scalb(1.0, r[0] - 1), "error below range for " + x);
                } else {
                    assertEquals((float) Math.scalb(1.0, r[1]), Math.abs(y), "clipped " + x);
                }
                if (y != 0) {
                    assertEquals(Math.signum(x), Math.signum(y));
                }
            }
        }
    }

    @Test
    void boundIsTightAtOneAndAHalf() {
        PowerOfTwoQuantizer q = new PowerOfTwoQuantizer();
        assertEquals(2f, q.quantize(1.5f)); // tie goes up: error 0.5 = 1.5/3
        assertEquals(1f, q.quantize(Math.nextDown(1.5f)));
        assertEquals(0f, q.quantize(0f));
        assertEquals(0, q.code(-0f));
        assertEquals(6, q.bits());
    }

    @Test
    void blockRoundTripAndInvalidCodes() {
        PowerOfTwoQuantizer q = new PowerOfTwoQuantizer(-4, 0); // E = 5: exponent codes 0..5, 3 bits + sign
        float[] x = {0f, 1f, -0.5f, 0.0625f, -0.01f, 3f};
        ByteBuffer buf = ByteBuffer.allocate((int) q.blockBytes(x.length));
        q.write(x, buf);
        buf.flip();
        float[] y = q.read(buf, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(q.quantize(x[i]), y[i]);
        }
        assertThrows(PayloadFormatException.class, () -> q.value(6));
        assertThrows(PayloadFormatException.class, () -> q.value(8)); // negative zero
        assertThrows(IllegalArgumentException.class, () -> q.code(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new PowerOfTwoQuantizer(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PowerOfTwoQuantizer(-150, 0));
    }
}
