package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The 20-byte header every encoded model payload starts with, so a receiver rejects bytes of
 * another format, another codec version, another length or another architecture, and bytes
 * damaged on the way, before it reads a single value: magic "FP", format id, format version,
 * parameter count (int32), layout fingerprint (int64), CRC32C (uint32). Little-endian.
 *
 * <p>The checksum is CRC32C (Castagnoli, as {@link CRC32C}) over the whole payload except its own
 * four bytes: header bytes 0..15, then everything after the header. A codec writes the header with
 * {@link #write} (checksum field zero), then its body, then {@link #seal}s the finished array: one
 * pass over bytes that are already in cache, hardware-accelerated in Java 17. {@link #open} checks
 * magic, format id and version first (so a payload of an older format is refused as such, not as
 * damaged), then the checksum, and only then trusts any other field. CRC32C detects every burst
 * of up to 32 bits and every change of up to 3 bits (payloads below 256 MiB), and other damage
 * except with probability about 2^-32.
 */
public record PayloadHeader(byte format, byte formatVersion, int length, long layoutFingerprint) {
    public static final int SIZE = 20;
    /** Offset of the layout fingerprint field. */
    static final int FINGERPRINT_OFFSET = 8;
    /** Offset of the CRC32C field; the bytes before it are the fixed header fields. */
    public static final int CHECKSUM_OFFSET = 16;
    private static final byte MAGIC_0 = 'F';
    private static final byte MAGIC_1 = 'P';

    /** Writes the header with a zero checksum field; {@link #seal} the payload once its body is written. */
    public void write(ByteBuffer out) {
        out.put(MAGIC_0).put(MAGIC_1).put(format).put(formatVersion).putInt(length).putLong(layoutFingerprint).putInt(0);
    }

    /** CRC32C of {@code payload} (at least {@link #SIZE} bytes) without its checksum field. */
    public static int checksum(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, CHECKSUM_OFFSET);
        crc.update(payload, SIZE, payload.length - SIZE);
        return (int) crc.getValue();
    }

    /** Writes the checksum of the finished {@code payload} into its header; returns {@code payload}. */
    public static byte[] seal(byte[] payload) {
        SparseIndex.INT_LE.set(payload, CHECKSUM_OFFSET, checksum(payload));
        return payload;
    }

    /**
     * Reads the header of {@code payload}, checks it against what the receiver expects and checks
     * the payload's checksum; returns a little-endian buffer positioned at the body.
     */
    public static ByteBuffer open(byte[] payload, byte format, byte formatVersion, int length, long fingerprint) {
        if (payload == null || payload.length < SIZE) {
            throw new PayloadFormatException("payload of " + (payload == null ? "null" : payload.length + " bytes")
                    + " is shorter than the " + SIZE + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (in.get() != MAGIC_0 || in.get() != MAGIC_1) {
            throw new PayloadFormatException("payload does not start with the fedprune magic 'FP'");
        }
        byte f = in.get();
        byte v = in.get();
        if (f != format) {
            throw new PayloadFormatException("payload format id " + f + ", expected " + format);
        }
        if (v != formatVersion) {
            throw new PayloadFormatException("payload format version " + v + ", this codec reads " + formatVersion
                    + (v < formatVersion ? " (an older fedprune, before payload checksums)" : ""));
        }
        int stored = in.getInt(CHECKSUM_OFFSET);
        int actual = checksum(payload);
        if (stored != actual) {
            throw new PayloadFormatException(String.format(
                    "payload checksum mismatch: CRC32C %08x stored, %08x computed over %d bytes (damaged on the way)",
                    stored, actual, payload.length));
        }
        int n = in.getInt();
        long fp = in.getLong();
        if (n != length) {
            throw new PayloadFormatException("payload declares " + n + " parameters, the model has " + length);
        }
        if (fp != fingerprint) {
            throw new PayloadFormatException(String.format(
                    "payload layout fingerprint %016x does not match the model's %016x (another architecture)", fp, fingerprint));
        }
        in.position(SIZE);
        return in;
    }
}
