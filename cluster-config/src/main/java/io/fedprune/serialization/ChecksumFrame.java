package io.fedprune.serialization;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The frame around every Kryo message fedprune sends: a 4-byte little-endian CRC32C
 * (hardware-accelerated) of the Kryo stream, then the stream. The receiver checks it before Kryo
 * reads a single byte, so bytes damaged on the way are a clean rejection, never a different message.
 */
public final class ChecksumFrame {
    /** Bytes of the frame before the Kryo stream. */
    public static final int FRAME_BYTES = 4;

    private ChecksumFrame() {
    }

    /** CRC32C of the Kryo stream in {@code framed} (everything after the frame). */
    public static int checksum(byte[] framed) {
        CRC32C crc = new CRC32C();
        crc.update(framed, FRAME_BYTES, framed.length - FRAME_BYTES);
        return (int) crc.getValue();
    }

    /** The checksum stored in {@code framed}'s first four bytes. */
    public static int stored(byte[] framed) {
        return (framed[0] & 0xff) | (framed[1] & 0xff) << 8 | (framed[2] & 0xff) << 16 | (framed[3] & 0xff) << 24;
    }

    /** Writes the checksum of {@code framed}'s Kryo stream into its first four bytes; returns {@code framed}. */
    public static byte[] seal(byte[] framed) {
        int crc = checksum(framed);
        for (int b = 0; b < FRAME_BYTES; b++) {
            framed[b] = (byte) (crc >>> (8 * b));
        }
        return framed;
    }

    /** {@link #checksum(byte[])} of a frame that fills {@code frame} from index 0 to its limit. */
    public static int checksum(ByteBuffer frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame.duplicate().position(FRAME_BYTES));
        return (int) crc.getValue();
    }

    /** {@link #stored(byte[])} of a frame that starts at index 0 of {@code frame}. */
    public static int stored(ByteBuffer frame) {
        return frame.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }

    /**
     * {@link #seal(byte[])} for a frame written into {@code buf} between the absolute positions
     * {@code start} and {@code end}; {@code buf}'s position, limit and byte order are unchanged.
     */
    public static void seal(ByteBuffer buf, int start, int end) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(end).position(start + FRAME_BYTES));
        int value = (int) crc.getValue();
        for (int b = 0; b < FRAME_BYTES; b++) {
            buf.put(start + b, (byte) (value >>> (8 * b)));
        }
    }
}
