package io.fedprune.core.compress;

import java.nio.ByteBuffer;

/**
 * Fixed-width codes packed back to back, least significant bit first: code i occupies bits
 * [i*b, (i+1)*b) of the little-endian bit stream, the last byte is zero-padded. Decoding insists
 * the padding is zero, so a flipped bit there is caught rather than ignored.
 */
final class BitPacking {
    private BitPacking() {
    }

    static long packedBytes(long count, int bits) {
        return (count * bits + 7) / 8;
    }

    static void pack(int[] codes, int count, int bits, ByteBuffer out) {
        long acc = 0;
        int held = 0;
        long mask = (1L << bits) - 1;
        for (int i = 0; i < count; i++) {
            acc |= (codes[i] & mask) << held;
            held += bits;
            while (held >= 8) {
                out.put((byte) acc);
                acc >>>= 8;
                held -= 8;
            }
        }
        if (held > 0) {
            out.put((byte) acc);
        }
    }

    /** Reads {@code count} codes of {@code bits} bits; the caller has checked the bytes are there. */
    static int[] unpack(ByteBuffer in, int count, int bits, String what) {
        Wire.need(in, packedBytes(count, bits), what);
        int[] codes = new int[count];
        long acc = 0;
        int held = 0;
        int mask = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            while (held < bits) {
                acc |= (long) (in.get() & 0xff) << held;
                held += 8;
            }
            codes[i] = (int) (acc & mask);
            acc >>>= bits;
            held -= bits;
        }
        if (acc != 0) {
            throw new PayloadFormatException(what + ": padding bits after the last code are not zero");
        }
        return codes;
    }
}
