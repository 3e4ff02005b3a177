package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeflateStageTest {

    private static PayloadFormatException fails(byte[] z, long declared, long cap) {
        return assertThrows(PayloadFormatException.class, () -> DeflateStage.decompress(z, 0, z.length, declared, cap));
    }

    @Test
    void roundTripsRandomAndRepetitiveData() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n : new int[] {0, 1, 100, 70_000}) {
            byte[] random = new byte[n];
            rng.nextBytes(random);
            byte[] zeros = new byte[n];
            for (byte[] raw : new byte[][] {random, zeros}) {
                byte[] z = DeflateStage.compress(raw);
                assertArrayEquals(raw, DeflateStage.decompress(z, 0, z.length, raw.length, raw.length));
            }
        }
        assertTrue(DeflateStage.compress(new byte[70_000]).length < 1000);
    }

    @Test
    void guardsAgainstBombsAndLies() {
        byte[] raw = new byte[100_000];
        byte[] z = DeflateStage.compress(raw);
        assertTrue(fails(z, raw.length, raw.length - 1).getMessage().contains("outside"));
        assertTrue(fails(z, 1000, 1_000_000).getMessage().contains("more than the declared"));
        assertTrue(fails(z, raw.length + 1, 1_000_000).getMessage().contains("inflates to 100000"));
        assertTrue(fails(z, -1, 1_000_000).getMessage().contains("outside"));
        // A tiny stream cannot declare a gigabyte, even under a generous cap: rejected before allocating.
        assertTrue(fails(z, 1L << 30, 1L << 31).getMessage().contains("impossible"));
    }

    @Test
    void rejectsTruncatedCorruptAndTrailingStreams() {
        byte[] raw = new byte[5000];
        new SplittableRandom(2).nextBytes(raw);
        byte[] z = DeflateStage.compress(raw);
        for (int cut : new int[] {0, 1, 2, z.length / 2, z.length - 1}) {
            fails(Arrays.copyOf(z, cut), raw.length, raw.length);
        }
        byte[] corrupt = z.clone();
        corrupt[z.length / 2] ^= 0x55;
        fails(corrupt, raw.length, raw.length);
        byte[] checksum = z.clone();
        checksum[z.length - 1] ^= 1;
        assertTrue(fails(checksum, raw.length, raw.length).getMessage().contains("corrupt"));
        assertTrue(fails(Arrays.copyOf(z, z.length + 1), raw.length, raw.length).getMessage().contains("trailing"));
    }
}
