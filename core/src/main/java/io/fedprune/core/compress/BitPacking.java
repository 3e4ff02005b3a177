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
        int n = Math.toIntExact(packedBytes(count, bits));
        if (n > out.remaining()) {
            throw new java.nio.BufferOverflowException();
        }
        if (out.hasArray()) {
            pack(codes, count, bits, out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + n);
        } else {
            byte[] tmp = new byte[n]; // rare (direct buffers): pack, then one bulk put
            pack(codes, count, bits, tmp, 0);
            out.put(tmp);
        }
    }

    /** {@link #pack(int[], int, int, ByteBuffer)} into {@code out} at {@code p}, which has the room. */
    static void pack(int[] codes, int count, int bits, byte[] out, int p) {
        if (bits == 8) {
            for (int i = 0; i < count; i++) {
                out[p + i] = (byte) codes[i];
            }
            return;
        }
        long acc = 0;
        int held = 0;
        long mask = (1L << bits) - 1;
        for (int i = 0; i < count; i++) {
            acc |= (codes[i] & mask) << held;
            held += bits;
            while (held >= 8) {
                out[p++] = (byte) acc;
                acc >>>= 8;
                held -= 8;
            }
        }
        if (held > 0) {
            out[p] = (byte) acc;
        }
    }

    /** Reads {@code count} codes of {@code bits} bits; the caller has checked the bytes are there. */
    static int[] unpack(ByteBuffer in, int count, int bits, String what) {
        Wire.need(in, packedBytes(count, bits), what); // before the int cast: a forged count can be huge
        Wire.Bytes b = Wire.take(in, (int) packedBytes(count, bits), what);
        byte[] src = b.array();
        int p = b.offset();
        int[] codes = new int[count];
        if (bits == 8) {
            for (int i = 0; i < count; i++) {
                codes[i] = src[p + i] & 0xff;
            }
            return codes;
        }
        long acc = 0;
        int held = 0;
        int mask = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            while (held < bits) {
                acc |= (long) (src[p++] & 0xff) << held;
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
