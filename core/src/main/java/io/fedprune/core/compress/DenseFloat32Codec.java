package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every parameter as a little-endian float32 after the header: 20 + 4 W bytes. Version 2 (the
 * checksummed header); version 1 payloads (16-byte header, no checksum) are refused.
 */
public final class DenseFloat32Codec implements WireCodec {
    public static final byte FORMAT = 1;
    public static final byte VERSION = 2;

    private final int length;
    private final long fingerprint;

    public DenseFloat32Codec(int length, long layoutFingerprint) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.length = length;
        this.fingerprint = layoutFingerprint;
    }

    @Override
    public String name() {
        return "dense-f32";
    }

    public int encodedSize() {
        return PayloadHeader.SIZE + 4 * length;
    }

    @Override
    public byte[] encode(float[] params) {
        if (params.length != length) {
            throw new IllegalArgumentException("cannot encode " + params.length + " parameters with a codec for " + length);
        }
        byte[] out = new byte[encodedSize()];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(FORMAT, VERSION, length, fingerprint).write(buf);
        buf.asFloatBuffer().put(params);
        return PayloadHeader.seal(out);
    }

    @Override
    public float[] decode(byte[] payload) {
        ByteBuffer in = PayloadHeader.open(payload, FORMAT, VERSION, length, fingerprint);
        if (payload.length != encodedSize()) {
            throw new PayloadFormatException("dense payload holds " + payload.length + " bytes, expected "
                    + encodedSize() + " for " + length + " parameters");
        }
        float[] out = new float[length];
        in.asFloatBuffer().get(out);
        return out;
    }
}
