package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes of split learning's per-step traffic: activations with labels up, activation
 * gradients down. Both carry only the values a shared-seed keep-mask kept (the receiver knows
 * their count and positions, so no index travels) and both start with a {@link PayloadHeader}
 * whose length field is that count and whose fingerprint field is the step's key, so a payload
 * attached to another step, or damaged, is refused before any value is read.
 *
 * <p>Body: one byte of value width (0 = float32, else the bits b of a {@link UniformQuantizer}
 * block with one group: min, max, then the b-bit codes); activations then add the labels,
 * ceil(log2 C) bits each ({@link BitPacking}). So an activation payload is
 * {@code 20 + 1 + ceil(B ceil(log2 C) / 8) + values} bytes and a gradient payload
 * {@code 20 + 1 + values}, with values {@code 4k} for float32 or {@code 8 + ceil(k b / 8)}.
 *
 * <p>An instance holds its quantizer's random stream (stochastic rounding): one per sender, not
 * thread-safe. Decoding is static: the receiver reads the width from the payload.
 */
public final class CutLayerCodec {
    public static final byte ACTIVATIONS = 5;
    public static final byte GRADIENTS = 6;
    public static final byte VERSION = 1;

    private final UniformQuantizer quantizer; // null: float32

    private CutLayerCodec(UniformQuantizer quantizer) {
        this.quantizer = quantizer;
    }

    /** Values as float32: exact. */
    public static CutLayerCodec float32() {
        return new CutLayerCodec(null);
    }

    /** Values through {@code quantizer} (per-tensor grid over the kept values). */
    public static CutLayerCodec quantized(UniformQuantizer quantizer) {
        return new CutLayerCodec(quantizer);
    }

    /** Value bits on the wire: 32, or the quantizer's b. */
    public int valueBits() {
        return quantizer == null ? 32 : quantizer.bits();
    }

    /** Decoded activations: the kept values and the batch's labels. */
    public record Activations(float[] kept, int[] labels) {
    }

    public byte[] encodeActivations(float[] kept, int[] labels, int numClasses, long stepKey) {
        int labelBits = labelBits(numClasses);
        int[] codes = labels.clone();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= numClasses) {
                throw new IllegalArgumentException("label " + codes[i] + " at " + i + " is out of range 0.." + (numClasses - 1));
            }
        }
        int labelBytes = (int) BitPacking.packedBytes(labels.length, labelBits);
        byte[] out = new byte[Math.toIntExact(activationBytes(kept.length, labels.length, numClasses, valueBits()))];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(ACTIVATIONS, VERSION, kept.length, stepKey).write(buf);
        buf.put((byte) (quantizer == null ? 0 : quantizer.bits()));
        BitPacking.pack(codes, codes.length, labelBits, buf);
        writeValues(kept, buf);
        if (buf.hasRemaining()) {
            throw new IllegalStateException("activation payload size mismatch: " + buf.remaining() + " bytes left");
        }
        return PayloadHeader.seal(out);
    }

    /**
     * @param kept  the number of kept values the receiver's keep-mask expects
     * @param batch the number of samples (labels)
     * @throws PayloadFormatException if the bytes are not exactly such a payload of step {@code stepKey}
     */
    public static Activations decodeActivations(byte[] payload, int kept, int batch, int numClasses, long stepKey) {
        ByteBuffer in = PayloadHeader.open(payload, ACTIVATIONS, VERSION, kept, stepKey);
        int bits = valueBitsOf(in);
        int[] labels = BitPacking.unpack(in, batch, labelBits(numClasses), "labels");
        for (int i = 0; i < batch; i++) {
            if (labels[i] >= numClasses) {
                throw new PayloadFormatException("label " + labels[i] + " at " + i + " is out of range 0.." + (numClasses - 1));
            }
        }
        float[] values = readValues(in, kept, bits);
        Wire.end(in, "activation payload");
        return new Activations(values, labels);
    }

    public byte[] encodeGradients(float[] kept, long stepKey) {
        byte[] out = new byte[Math.toIntExact(gradientBytes(kept.length, valueBits()))];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(GRADIENTS, VERSION, kept.length, stepKey).write(buf);
        buf.put((byte) (quantizer == null ? 0 : quantizer.bits()));
        writeValues(kept, buf);
        return PayloadHeader.seal(out);
    }

    /** @throws PayloadFormatException if the bytes are not exactly a gradient payload of {@code kept} values of step {@code stepKey} */
    public static float[] decodeGradients(byte[] payload, int kept, long stepKey) {
        ByteBuffer in = PayloadHeader.open(payload, GRADIENTS, VERSION, kept, stepKey);
        float[] values = readValues(in, kept, valueBitsOf(in));
        Wire.end(in, "gradient payload");
        return values;
    }

    /** Bytes of an activation payload: what ALGORITHMS.md §4's uplink formula counts, plus 21 bytes of framing. */
    public static long activationBytes(int kept, int batch, int numClasses, int valueBits) {
        return PayloadHeader.SIZE + 1 + BitPacking.packedBytes(batch, labelBits(numClasses)) + valueBytes(kept, valueBits);
    }

    /** Bytes of a gradient payload. */
    public static long gradientBytes(int kept, int valueBits) {
        return PayloadHeader.SIZE + 1 + valueBytes(kept, valueBits);
    }

    private static long valueBytes(int kept, int valueBits) {
        return valueBits == 32 ? 4L * kept : UniformQuantizer.blockBytes(kept, 1, valueBits);
    }

    /** ceil(log2 C) bits, at least 1. */
    static int labelBits(int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        return 32 - Integer.numberOfLeadingZeros(numClasses - 1);
    }

    private void writeValues(float[] kept, ByteBuffer buf) {
        if (quantizer == null) {
            for (float v : kept) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("cannot send the non-finite value " + v);
                }
                buf.putFloat(v);
            }
        } else {
            quantizer.write(kept, new int[] {kept.length}, buf); // refuses non-finite values itself
        }
    }

    private static int valueBitsOf(ByteBuffer in) {
        Wire.need(in, 1, "value width");
        int bits = in.get() & 0xff;
        if (bits != 0 && (bits < UniformQuantizer.MIN_BITS || bits > UniformQuantizer.MAX_BITS)) {
            throw new PayloadFormatException("value width " + bits + " bits: expected 0 (float32) or "
                    + UniformQuantizer.MIN_BITS + ".." + UniformQuantizer.MAX_BITS);
        }
        return bits;
    }

    private static float[] readValues(ByteBuffer in, int kept, int bits) {
        if (bits == 0) {
            Wire.need(in, 4L * kept, kept + " float32 values");
            float[] out = new float[kept];
            for (int i = 0; i < kept; i++) {
                out[i] = in.getFloat();
                if (!Float.isFinite(out[i])) {
                    throw new PayloadFormatException("non-finite value " + out[i] + " at " + i);
                }
            }
            return out;
        }
        return UniformQuantizer.read(in, kept, new int[] {kept}, bits);
    }
}
