package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/** Shared test data and slow, obviously correct reference pieces for the compress tests. */
final class CompressFixtures {
    private CompressFixtures() {
    }

    /** Four segments of different scales, 1000 values: conv weights, bias, dense, output. */
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.CONV, 0, 300, new long[] {3, 10, 10}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 300, 20, new long[] {1, 20}),
            new ParameterSegment("1_W", 1, SegmentKind.DENSE, 320, 600, new long[] {20, 30}),
            new ParameterSegment("2_W", 2, SegmentKind.OUTPUT, 920, 80, new long[] {8, 10})));
    static final double[] SEGMENT_SCALE = {0.5, 0.01, 0.05, 2.0};

    /** A vector with exactly round(density * W) non-zero entries at random positions, per-segment scales. */
    static float[] vector(ParameterLayout layout, double density, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = layout.totalLength();
        int nz = (int) Math.round(density * w);
        int[] perm = new int[w];
        for (int i = 0; i < w; i++) {
            perm[i] = i;
        }
        for (int i = w - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] x = new float[w];
        List<ParameterSegment> segs = layout.segments();
        for (int k = 0; k < nz; k++) {
            int i = perm[k];
            int s = 0;
            while (segs.get(s).end() <= i) {
                s++;
            }
            float v;
            do {
                v = (float) (rng.nextGaussian() * SEGMENT_SCALE[s % SEGMENT_SCALE.length]);
            } while (v == 0f);
            x[i] = v;
        }
        return x;
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The current header of {@code format} with a zero checksum field: build a payload with
     * {@link #concat} and finish it with {@link #sealed}.
     */
    static byte[] header(byte format, int length, long fp) {
        byte version = switch (format) {
            case DenseFloat32Codec.FORMAT -> DenseFloat32Codec.VERSION;
            case SparseFloat32Codec.FORMAT -> SparseFloat32Codec.VERSION;
            case QuantizedCodec.FORMAT -> QuantizedCodec.VERSION;
            case CodecChain.FORMAT -> CodecChain.VERSION;
            default -> throw new IllegalArgumentException("format " + format);
        };
        byte[] h = new byte[PayloadHeader.SIZE];
        new PayloadHeader(format, version, length, fp).write(le(h));
        return h;
    }

    /** Header + parts with the right checksum: a payload as an encoder would have sealed it. */
    static byte[] payload(byte[] header, byte[]... parts) {
        return sealed(concat(header, concat(parts)));
    }

    /** A copy of {@code payload} with its checksum field set to match its bytes (a forged or tampered payload "in good faith"). */
    static byte[] sealed(byte[] payload) {
        byte[] copy = payload.clone();
        int crc = referenceChecksum(copy);
        for (int b = 0; b < 4; b++) {
            copy[PayloadHeader.CHECKSUM_OFFSET + b] = (byte) (crc >>> (8 * b));
        }
        return copy;
    }

    /**
     * Reference CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial value and final xor
     * all ones), bit by bit, over bytes 0..15 and 20..end of {@code payload}: what the header's
     * checksum field must hold.
     */
    static int referenceChecksum(byte[] payload) {
        int crc = ~0;
        for (int i = 0; i < payload.length; i++) {
            if (i >= PayloadHeader.CHECKSUM_OFFSET && i < PayloadHeader.SIZE) {
                continue;
            }
            crc = crc32cStep(crc, payload[i]);
        }
        return ~crc;
    }

    /** Reference CRC-32C of all of {@code bytes}. */
    static int referenceCrc32c(byte[] bytes) {
        int crc = ~0;
        for (byte b : bytes) {
            crc = crc32cStep(crc, b);
        }
        return ~crc;
    }

    private static int crc32cStep(int crc, byte b) {
        crc ^= b & 0xff;
        for (int k = 0; k < 8; k++) {
            crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
        }
        return crc;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Reference LEB128 writer: one byte per 7-bit group, high bit set on all but the last. */
    static byte[] varint(long v) {
        byte[] tmp = new byte[10];
        int n = 0;
        do {
            long group = v % 128;
            v /= 128;
            tmp[n++] = (byte) (v > 0 ? group + 128 : group);
        } while (v > 0);
        return java.util.Arrays.copyOf(tmp, n);
    }

    /** Reference bit packing: code i's bit j goes to stream bit i*b+j, byte = bit/8, LSB first. */
    static byte[] packReference(int[] codes, int bits) {
        int nbits = codes.length * bits;
        byte[] out = new byte[(nbits + 7) / 8];
        for (int i = 0; i < codes.length; i++) {
            for (int j = 0; j < bits; j++) {
                if (((codes[i] >> j) & 1) == 1) {
                    int pos = i * bits + j;
                    out[pos / 8] |= (byte) (1 << (pos % 8));
                }
            }
        }
        return out;
    }

    /** Asserts {@code decode} rejects the payload with a PayloadFormatException whose message contains {@code text}. */
    static void rejects(WireCodec codec, byte[] payload, String text) {
        PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> codec.decode(payload));
        assertTrue(e.getMessage().toLowerCase().contains(text.toLowerCase()),
                () -> "message '" + e.getMessage() + "' should mention '" + text + "'");
    }

    /**
     * Every strict prefix, and the payload plus one trailing byte, is rejected: as they are (by the
     * checksum or the header) and sealed with a matching checksum (by the body's own checks).
     */
    static void rejectsTruncationAndTrailing(WireCodec codec, byte[] payload) {
        for (int n = 0; n < payload.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(payload, n);
            assertThrows(PayloadFormatException.class, () -> codec.decode(prefix), "prefix of " + n + " bytes");
            if (n >= PayloadHeader.SIZE) {
                assertThrows(PayloadFormatException.class, () -> codec.decode(sealed(prefix)),
                        "sealed prefix of " + n + " bytes");
            }
        }
        rejects(codec, java.util.Arrays.copyOf(payload, payload.length + 1), "checksum");
        rejects(codec, sealed(java.util.Arrays.copyOf(payload, payload.length + 1)), "trailing");
    }
}
