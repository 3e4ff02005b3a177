package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DenseFloat32CodecTest {
    private static final long FP = 0x1234_5678_9abc_def0L;

    /**
     * Obviously correct reference encoder: the header and each float's raw bits, byte by byte,
     * little-endian, then the bitwise reference CRC32C of everything but its own field.
     */
    static byte[] referenceEncode(float[] params, long fingerprint) {
        byte[] out = new byte[20 + 4 * params.length];
        out[0] = 'F';
        out[1] = 'P';
        out[2] = 1;
        out[3] = 2;
        putLe(out, 4, params.length, 4);
        putLe(out, 8, fingerprint, 8);
        for (int i = 0; i < params.length; i++) {
            putLe(out, 20 + 4 * i, Float.floatToRawIntBits(params[i]), 4);
        }
        putLe(out, 16, CompressFixtures.referenceChecksum(out), 4);
        return out;
    }

    private static void putLe(byte[] out, int at, long value, int bytes) {
        for (int b = 0; b < bytes; b++) {
            out[at + b] = (byte) (value >>> (8 * b));
        }
    }

    private static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }

    private static float randomFloat(SplittableRandom rng) {
        return switch (rng.nextInt(8)) {
            case 0 -> -0.0f;
            case 1 -> Float.MIN_VALUE * (1 + rng.nextInt(1000)) * (rng.nextBoolean() ? 1 : -1); // subnormal
            case 2 -> rng.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
            case 3 -> Float.MIN_NORMAL;
            case 4 -> {
                // any finite bit pattern
                float f;
                do {
                    f = Float.intBitsToFloat(rng.nextInt());
                } while (!Float.isFinite(f));
                yield f;
            }
            default -> (float) rng.nextGaussian();
        };
    }

    @Test
    void randomRoundTripsAreBitwiseExactAndMatchTheReferenceBytes() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int trial = 0; trial < 300; trial++) {
            int w = trial == 0 ? 0 : rng.nextInt(1, 2000);
            long fp = rng.nextLong();
            float[] params = new float[w];
            for (int i = 0; i < w; i++) {
                params[i] = randomFloat(rng);
            }
            DenseFloat32Codec codec = new DenseFloat32Codec(w, fp);
            byte[] bytes = codec.encode(params);
            assertEquals(20 + 4 * w, bytes.length);
            assertEquals(20 + 4 * w, codec.encodedSize());
            assertArrayEquals(referenceEncode(params, fp), bytes, "trial " + trial);
            float[] back = codec.decode(bytes);
            assertArrayEquals(bits(params), bits(back), "trial " + trial);
        }
    }

    @Test
    void specialValuesSurvive() {
        float[] special = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL / 2, Float.MAX_VALUE,
                -Float.MAX_VALUE, 1.0f, -1.0f};
        DenseFloat32Codec codec = new DenseFloat32Codec(special.length, FP);
        assertArrayEquals(bits(special), bits(codec.decode(codec.encode(special))));
        assertEquals("dense-f32", codec.name());
    }

    @Test
    void encodeRejectsAVectorOfAnotherLength() {
        DenseFloat32Codec codec = new DenseFloat32Codec(4, FP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.encode(new float[5]));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DenseFloat32Codec(-1, FP));
    }

    private static void assertRejected(DenseFloat32Codec codec, byte[] payload, String... fragments) {
        PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> codec.decode(payload));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message must contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void decodeRejectsEachKindOfBadPayload() {
        int w = 10;
        DenseFloat32Codec codec = new DenseFloat32Codec(w, FP);
        float[] params = new float[w];
        Arrays.fill(params, 0.25f);
        byte[] good = codec.encode(params);
        UnaryOperator<byte[]> sealed = CompressFixtures::sealed;

        assertRejected(codec, null, "null", "header");
        assertRejected(codec, new byte[0], "0 bytes", "header");
        assertRejected(codec, Arrays.copyOf(good, 19), "19 bytes", "20-byte header");

        // Any change without a matching checksum is refused before any field after the version is read.
        byte[] value = good.clone();
        value[25] ^= 1;
        assertRejected(codec, value, "checksum mismatch");
        byte[] crc = good.clone();
        crc[17] ^= 0x10;
        assertRejected(codec, crc, "checksum mismatch");

        // Behind the checksum, each field is still checked (a payload built wrongly but sealed).
        byte[] magic = good.clone();
        magic[1] = 'Q';
        assertRejected(codec, sealed.apply(magic), "magic");

        byte[] format = good.clone();
        format[2] = 7;
        assertRejected(codec, sealed.apply(format), "format id 7");

        byte[] version = good.clone();
        version[3] = 3;
        assertRejected(codec, sealed.apply(version), "version 3");
        // A version-1 payload (16-byte header, no checksum) is refused as such, not as damaged.
        byte[] v1 = new byte[16 + 4 * w];
        System.arraycopy(good, 0, v1, 0, 16);
        System.arraycopy(good, 20, v1, 16, 4 * w);
        v1[3] = 1;
        assertRejected(codec, v1, "version 1", "older");

        byte[] length = good.clone();
        length[4] = 11;
        assertRejected(codec, sealed.apply(length), "declares 11 parameters", "has 10");

        byte[] fingerprint = good.clone();
        fingerprint[15] ^= 0x40;
        assertRejected(codec, sealed.apply(fingerprint), "fingerprint");
        // and a codec of another layout rejects an otherwise perfect payload
        assertRejected(new DenseFloat32Codec(w, FP + 1), good, "fingerprint");

        assertRejected(codec, Arrays.copyOf(good, good.length - 1), "checksum mismatch");
        assertRejected(codec, sealed.apply(Arrays.copyOf(good, good.length - 1)), "holds " + (good.length - 1)
                + " bytes", "expected " + good.length);
        assertRejected(codec, sealed.apply(Arrays.copyOf(good, 20)), "holds 20 bytes");
        assertRejected(codec, sealed.apply(Arrays.copyOf(good, good.length + 1)), "holds " + (good.length + 1)
                + " bytes", "expected " + good.length);
        assertRejected(codec, sealed.apply(Arrays.copyOf(good, good.length + 4)), "holds " + (good.length + 4)
                + " bytes");
    }

    @Test
    void randomCorruptionIsAlwaysRejectedAndBehindTheChecksumNeverYieldsAWrongModelSilently() {
        SplittableRandom rng = new SplittableRandom(77);
        int w = 64;
        DenseFloat32Codec codec = new DenseFloat32Codec(w, FP);
        float[] params = new float[w];
        for (int i = 0; i < w; i++) {
            params[i] = (float) rng.nextGaussian();
        }
        byte[] good = codec.encode(params);
        int headerRejected = 0;
        for (int trial = 0; trial < 5000; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + rng.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = rng.nextInt(bad.length);
                bad[at] ^= (byte) (1 + rng.nextInt(255)); // a real change
            }
            if (Arrays.equals(good, bad)) {
                continue; // two changes of one byte cancelled out
            }
            assertThrows(PayloadFormatException.class, () -> codec.decode(bad), "trial " + trial);

            // The same damage with a checksum that matches it: the header checks still hold.
            byte[] resealed = CompressFixtures.sealed(bad);
            boolean headerChanged = !Arrays.equals(good, 0, 16, resealed, 0, 16);
            float[] decoded;
            try {
                decoded = codec.decode(resealed);
            } catch (PayloadFormatException e) {
                assertTrue(headerChanged, "an intact header with an intact length was rejected: " + e.getMessage());
                headerRejected++;
                continue;
            }
            assertTrue(!headerChanged, "a corrupted header was accepted (trial " + trial + ")");
            assertEquals(w, decoded.length);
            // only the values whose bytes changed may differ
            for (int i = 0; i < w; i++) {
                boolean changed = !Arrays.equals(good, 20 + 4 * i, 24 + 4 * i, resealed, 20 + 4 * i, 24 + 4 * i);
                assertEquals(!changed, Float.floatToRawIntBits(params[i]) == Float.floatToRawIntBits(decoded[i]),
                        "value " + i);
            }
        }
        assertTrue(headerRejected > 200, "the trial mix should touch the header often, got " + headerRejected);

        // every truncation and every extension is rejected, sealed or not
        for (int len = 0; len < good.length + 8; len++) {
            if (len == good.length) {
                continue;
            }
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(PayloadFormatException.class, () -> codec.decode(cut), "length " + len);
            if (len >= PayloadHeader.SIZE) {
                assertThrows(PayloadFormatException.class, () -> codec.decode(CompressFixtures.sealed(cut)),
                        "sealed, length " + len);
            }
        }
    }
}
