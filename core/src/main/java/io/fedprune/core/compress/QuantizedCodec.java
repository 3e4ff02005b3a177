package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Every parameter uniformly quantized ({@link UniformQuantizer}). Layout after the
 * {@link PayloadHeader}: u8 bit width (1..16), u8 scale (0 = per-tensor, 1 = per-layer), u8
 * rounding (0 = deterministic, 1 = stochastic), then the quantizer block: per group float32 min
 * and max, then W codes bit-packed. Size {@code 20 + 3 + 8 * groups + ceil(W * b / 8)}.
 *
 * <p>The receiver must be configured like the sender (bits, scale, rounding): a mismatch is a
 * {@link PayloadFormatException} naming both, since it means the two ends run different
 * experiments.
 */
public final class QuantizedCodec implements WireCodec {
    public static final byte FORMAT = 3;
    public static final byte VERSION = 2;

    private final UniformQuantizer quantizer;
    private final UniformQuantizer.Scale scale;
    private final int length;
    private final long fingerprint;
    private final int[] groupEnds;

    /** Per-tensor or per-layer quantization over {@code layout}'s segments. */
    public QuantizedCodec(UniformQuantizer quantizer, UniformQuantizer.Scale scale, ParameterLayout layout) {
        this(quantizer, scale, layout.totalLength(), layout.fingerprint(),
                scale == UniformQuantizer.Scale.PER_LAYER ? segmentEnds(layout.segments()) : new int[] {layout.totalLength()});
    }

    /** Per-tensor quantization of a vector known only by length and fingerprint. */
    public QuantizedCodec(UniformQuantizer quantizer, int length, long layoutFingerprint) {
        this(quantizer, UniformQuantizer.Scale.PER_TENSOR, length, layoutFingerprint, new int[] {length});
    }

    private QuantizedCodec(UniformQuantizer quantizer, UniformQuantizer.Scale scale, int length, long fingerprint,
            int[] groupEnds) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.quantizer = quantizer;
        this.scale = scale;
        this.length = length;
        this.fingerprint = fingerprint;
        this.groupEnds = groupEnds;
    }

    static int[] segmentEnds(List<ParameterSegment> segments) {
        return segments.stream().mapToInt(ParameterSegment::end).toArray();
    }

    @Override
    public String name() {
        return "quantized-" + quantizer.bits() + "b-" + scale.name().toLowerCase().replace('_', '-')
                + (quantizer.isStochastic() ? "-stochastic" : "");
    }

    public long encodedSize() {
        return PayloadHeader.SIZE + 3 + UniformQuantizer.blockBytes(length, groupEnds.length, quantizer.bits());
    }

    @Override
    public byte[] encode(float[] params) {
        if (params.length != length) {
            throw new IllegalArgumentException("cannot encode " + params.length + " parameters with a codec for " + length);
        }
        byte[] out = new byte[Math.toIntExact(encodedSize())];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(FORMAT, VERSION, length, fingerprint).write(buf);
        buf.put((byte) quantizer.bits()).put((byte) scale.ordinal()).put((byte) (quantizer.isStochastic() ? 1 : 0));
        quantizer.write(params, groupEnds, buf);
        return PayloadHeader.seal(out);
    }

    @Override
    public float[] decode(byte[] payload) {
        ByteBuffer in = PayloadHeader.open(payload, FORMAT, VERSION, length, fingerprint);
        Wire.need(in, 3, "quantization parameters");
        int bits = in.get();
        int sc = in.get();
        int rounding = in.get();
        if (bits < UniformQuantizer.MIN_BITS || bits > UniformQuantizer.MAX_BITS) {
            throw new PayloadFormatException("bit width " + bits + " outside " + UniformQuantizer.MIN_BITS + ".."
                    + UniformQuantizer.MAX_BITS);
        }
        if (sc < 0 || sc > 1) {
            throw new PayloadFormatException("unknown quantization scale " + sc + " (0 = per-tensor, 1 = per-layer)");
        }
        if (rounding < 0 || rounding > 1) {
            throw new PayloadFormatException("unknown rounding mode " + rounding + " (0 = deterministic, 1 = stochastic)");
        }
        if (bits != quantizer.bits() || sc != scale.ordinal() || (rounding == 1) != quantizer.isStochastic()) {
            throw new PayloadFormatException("payload quantized with " + bits + " bits, "
                    + UniformQuantizer.Scale.values()[sc] + ", " + (rounding == 1 ? "stochastic" : "deterministic")
                    + "; this receiver expects " + quantizer.bits() + " bits, " + scale + ", "
                    + (quantizer.isStochastic() ? "stochastic" : "deterministic"));
        }
        float[] out = UniformQuantizer.read(in, length, groupEnds, bits);
        Wire.end(in, "quantized payload");
        return out;
    }
}
