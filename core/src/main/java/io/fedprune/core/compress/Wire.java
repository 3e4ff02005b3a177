package io.fedprune.core.compress;

import java.nio.ByteBuffer;

/**
 * Bounds checks shared by the decoders. Every length read from a payload goes through
 * {@link #need} before anything is allocated for it, so a forged count can cost at most the bytes
 * the sender actually sent, never an out-of-memory error.
 */
final class Wire {
    private Wire() {
    }

    /** Throws unless at least {@code bytes} remain in {@code in}. */
    static void need(ByteBuffer in, long bytes, String what) {
        if (bytes > in.remaining()) {
            throw new PayloadFormatException("truncated payload: " + what + " needs " + bytes + " bytes but only "
                    + in.remaining() + " remain");
        }
    }

    /** {@code n} bytes of a payload where the decoders can read them: an array and the first one's offset. */
    record Bytes(byte[] array, int offset) {
    }

    /**
     * Checks that {@code n} bytes remain, then hands them out as {@link Bytes} and moves past them:
     * the backing array itself when there is one, else (direct buffers, rare) one bounded copy.
     */
    static Bytes take(ByteBuffer in, int n, String what) {
        need(in, n, what);
        if (in.hasArray()) {
            Bytes b = new Bytes(in.array(), in.arrayOffset() + in.position());
            in.position(in.position() + n);
            return b;
        }
        byte[] copy = new byte[n];
        in.get(copy);
        return new Bytes(copy, 0);
    }

    /** Throws if anything is left after the last field: a payload has exactly one valid length. */
    static void end(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw new PayloadFormatException(what + ": " + in.remaining() + " trailing bytes after the end of the payload");
        }
    }

    /** Writes {@code value} (>= 0) as unsigned LEB128: 7 bits per byte, low groups first, high bit = more. */
    static void putVarint(ByteBuffer out, int value) {
        int v = value;
        while ((v & ~0x7f) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /** Bytes {@link #putVarint} writes for {@code value} (>= 0). */
    static int varintSize(int value) {
        int bits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    /**
     * Reads an unsigned LEB128 value that must fit in a non-negative int and be minimally encoded
     * (no redundant trailing 0x00 group), so every value has exactly one encoding and size
     * predictions hold for decoded payloads too.
     */
    static int getVarint(ByteBuffer in, String what) {
        return getVarint(in, what, -1);
    }

    /** {@link #getVarint(ByteBuffer, String)} for sparse index entry {@code entry}: names it only on error. */
    static int getVarint(ByteBuffer in, int entry) {
        return getVarint(in, null, entry);
    }

    /** The one decoder; the value is named ({@code what}, else "index entry") only when throwing. */
    private static int getVarint(ByteBuffer in, String what, int entry) {
        int result = 0;
        for (int shift = 0; ; shift += 7) {
            if (!in.hasRemaining()) {
                throw new PayloadFormatException("truncated payload inside varint " + name(what, entry));
            }
            int b = in.get() & 0xff;
            if (shift == 28 && b > 0x07) {
                throw new PayloadFormatException("varint " + name(what, entry) + " exceeds 31 bits");
            }
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new PayloadFormatException("varint " + name(what, entry) + " is not minimally encoded");
                }
                return result;
            }
        }
    }

    private static String name(String what, int entry) {
        return what != null ? what : "index " + entry;
    }
}
