package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 16-byte header every encoded model payload starts with, so a receiver rejects bytes of
 * another format, another codec version, another length or another architecture before it
 * reads a single value: magic "FP", format id, format version, parameter count (int32),
 * layout fingerprint (int64). Little-endian.
 */
public record PayloadHeader(byte format, byte formatVersion, int length, long layoutFingerprint) {
    public static final int SIZE = 16;
    private static final byte MAGIC_0 = 'F';
    private static final byte MAGIC_1 = 'P';

    public void write(ByteBuffer out) {
        out.put(MAGIC_0).put(MAGIC_1).put(format).put(formatVersion).putInt(length).putLong(layoutFingerprint);
    }

    /** Reads the header of {@code payload} and checks it against what the receiver expects. */
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
        int n = in.getInt();
        long fp = in.getLong();
        if (f != format) {
            throw new PayloadFormatException("payload format id " + f + ", expected " + format);
        }
        if (v != formatVersion) {
            throw new PayloadFormatException("payload format version " + v + ", this codec reads " + formatVersion);
        }
        if (n != length) {
            throw new PayloadFormatException("payload declares " + n + " parameters, the model has " + length);
        }
        if (fp != fingerprint) {
            throw new PayloadFormatException(String.format(
                    "payload layout fingerprint %016x does not match the model's %016x (another architecture)", fp, fingerprint));
        }
        return in;
    }
}
