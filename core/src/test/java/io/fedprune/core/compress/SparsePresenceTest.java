package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The block-adaptive presence scan (dense per-entry words, or zero-skipping with
 * Arrays.mismatch in sparse blocks) and the word-at-a-time varint sizing against obvious
 * per-entry references, on inputs that switch strategy from block to block and put NaN, -0.0f
 * and infinities into the sparse blocks.
 */
class SparsePresenceTest {

    static long[] referencePresence(float[] x) {
        long[] words = new long[(x.length + 63) / 64];
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f || Float.isNaN(x[i])) { // NaN != 0f already; spelled out for the reader
                words[i / 64] |= 1L << (i % 64);
            }
        }
        return words;
    }

    static long referenceVarintBytes(long[] words) {
        long total = 0;
        int prev = 0;
        for (int i = 0; i < words.length * 64; i++) {
            if ((words[i / 64] >>> (i % 64) & 1) != 0) {
                total += CompressFixtures.varint(i - prev).length;
                prev = i;
            }
        }
        return total;
    }

    private static float special(SplittableRandom rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> Float.NaN;
            case 1 -> Float.intBitsToFloat(0xff800001); // a negative NaN
            case 2 -> Float.POSITIVE_INFINITY;
            case 3 -> Float.NEGATIVE_INFINITY;
            case 4 -> Float.MIN_VALUE;
            case 5 -> -Float.MIN_VALUE;
            case 6 -> Float.intBitsToFloat(0x80000001); // smallest negative subnormal
            default -> (float) rng.nextGaussian();
        };
    }

    @Test
    void matchesReferenceAcrossDenseAndSparseBlocks() {
        SplittableRandom rng = new SplittableRandom(2024);
        double[] blockDensities = {0, 0.5, 0.001, 0.02, 1.0, 0.03, 0.031, 0.032, 0.05, 0.0, 0.0, 0.01, 1.0, 0.0001};
        int listed = 0;
        for (int trial = 0; trial < 80; trial++) {
            int blocks = 1 + rng.nextInt(10);
            int w = blocks * 4096 + (rng.nextBoolean() ? 0 : rng.nextInt(4096));
            float[] x = new float[w];
            for (int i = 0; i < w; i++) {
                // odd trials: sparse throughout (the scan lists the indices), with varying density
                double d = trial % 2 == 1 ? blockDensities[(trial / 2) % blockDensities.length] % 0.03
                        : blockDensities[(i / 4096 + trial) % blockDensities.length];
                double u = rng.nextDouble();
                if (u < d) {
                    x[i] = rng.nextInt(5) == 0 ? special(rng) : (float) rng.nextGaussian();
                } else if (u < d + 0.05) {
                    x[i] = -0.0f;
                }
            }
            if (w > 0 && rng.nextBoolean()) {
                x[w - 1] = Float.NaN;
            }
            if (rng.nextBoolean()) {
                x[rng.nextInt(w)] = -0.0f;
                x[4096 * rng.nextInt(blocks)] = 2f; // a block's first entry
                x[4096 * (1 + rng.nextInt(blocks)) - 1] = Float.NaN; // a block's last entry
            }
            long[] ref = referencePresence(x);
            long[] got = SparseIndex.presence(x);
            assertArrayEquals(ref, got, "trial " + trial + " w=" + w);
            int count = SparseIndex.count(got);
            long varints = referenceVarintBytes(ref);
            assertEquals(varints, SparseIndex.varintBytes(got, Long.MAX_VALUE), "trial " + trial);
            long nb = SparseIndex.bitmapBytes(w);
            assertEquals(Math.min(nb, varints), SparseIndex.structureBytes(got, count, w), "trial " + trial);
            listed += checkScan(x, ref) ? 1 : 0;
        }
        assertTrue(listed >= 10, "trials whose scan listed the indices: " + listed);
    }

    /** The scan's words, count, indices (if listed) and structure writing against the word-based ones. */
    private static boolean checkScan(float[] x, long[] ref) {
        int w = x.length;
        SparseIndex.Scan scan = SparseIndex.scan(x);
        assertArrayEquals(ref, scan.words());
        int count = SparseIndex.count(ref);
        assertEquals(count, scan.count());
        if (scan.indices() != null) {
            assertArrayEquals(SparseIndex.indices(ref, count), scan.indices());
        }
        long structure = SparseIndex.structureBytes(ref, count, w);
        assertEquals(structure, SparseIndex.structureBytes(scan, w));
        // exactly sized: a write past the structure's end would throw
        byte[] fromScan = new byte[Math.toIntExact(SparseIndex.FIXED + structure)];
        byte[] fromWords = new byte[fromScan.length];
        assertEquals(fromScan.length, SparseIndex.write(scan, w, structure, fromScan, 0));
        assertEquals(fromWords.length, SparseIndex.write(ref, count, w, structure, fromWords, 0));
        assertArrayEquals(fromWords, fromScan);
        return scan.indices() != null;
    }

    @Test
    void allZeroAndNegativeZeroVectorsHaveNoPositions() {
        for (int w : new int[] {0, 1, 4095, 4096, 4097, 3 * 4096 + 17}) {
            float[] zeros = new float[w];
            float[] negZeros = new float[w];
            java.util.Arrays.fill(negZeros, -0.0f);
            assertEquals(0, SparseIndex.count(SparseIndex.presence(zeros)));
            assertEquals(0, SparseIndex.count(SparseIndex.presence(negZeros)));
        }
    }

    @Test
    void varintSizingHandlesLongGaps() {
        int w = 1 << 23;
        float[] x = new float[w];
        int[] at = {127, 128, 255, 383, 16_383 + 383, 16_384 * 2 + 500, 2_097_152 + 40_000, w - 1};
        for (int i : at) {
            x[i] = 1f;
        }
        long[] words = SparseIndex.presence(x);
        assertEquals(referenceVarintBytes(words), SparseIndex.varintBytes(words, Long.MAX_VALUE));
        assertTrue(checkScan(x, words), "a sparse vector's scan lists its indices");
        // gaps of 1..3 bytes with the two-byte fast path, around its 2^7 and 2^14 edges
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 20; trial++) {
            float[] y = new float[1 << 20];
            int i = rng.nextInt(200);
            while (i < y.length) {
                y[i] = 1f;
                int[] gaps = {1, 127, 128, 129, 16_383, 16_384, 16_385, 20_000, 200_000, 1 + rng.nextInt(300)};
                i += gaps[rng.nextInt(gaps.length)];
            }
            checkScan(y, referencePresence(y));
        }
    }
}
