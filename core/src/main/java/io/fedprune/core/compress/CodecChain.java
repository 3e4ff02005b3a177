package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.MagnitudePruner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link CodecChainSpec} as a {@link WireCodec}. Payload after the {@link PayloadHeader}
 * (format {@value #FORMAT}): u16 length + UTF-8 of the spec's {@link CodecChainSpec#canonical()}
 * form, so a receiver configured with another chain rejects the payload naming both chains before
 * reading any value; then the body, and with {@code deflate} the body is int32 inflated size +
 * zlib stream instead.
 *
 * <p>Body: {@code dense}: the W values in the quantizer's form (float32, uniform block, or pow2
 * codes). {@code sparse}: the {@link SparseIndex} structure (flag, count, bitmap or varints) of
 * the entries that are non-zero after the preceding stages, then only those entries' values in
 * the quantizer's form. A uniform quantizer behind {@code sparse} quantizes only the surviving
 * entries (its affine grid usually has no exact zero, so zeros are kept out of it and stay
 * exactly zero); per-layer groups are then the surviving entries of each segment. With
 * {@code pow2}, entries that round to zero drop out of the sparse set.
 *
 * <p>Decode is exact for the lossless stages; per entry the error is that of the quantizer (see
 * {@link UniformQuantizer}, {@link PowerOfTwoQuantizer}) plus, for entries zeroed by
 * {@code magnitude}, the entry itself. A stochastic chain holds a random stream: not thread-safe.
 */
public final class CodecChain implements WireCodec {
    public static final byte FORMAT = 4;
    public static final byte VERSION = 2;
    private static final int MAX_SPEC_BYTES = 1024;

    private final CodecChainSpec spec;
    private final int length;
    private final long fingerprint;
    private final int[] segmentEnds;
    private final byte[] specBytes;
    private final UniformQuantizer uniform;
    private final PowerOfTwoQuantizer pow2;

    public CodecChain(CodecChainSpec spec, ParameterLayout layout) {
        this(spec, layout.totalLength(), layout.fingerprint(), QuantizedCodec.segmentEnds(layout.segments()));
    }

    /** For a vector known by length and fingerprint only: per-layer quantization is unavailable. */
    public CodecChain(CodecChainSpec spec, int length, long layoutFingerprint) {
        this(spec, length, layoutFingerprint, null);
        if (spec.quantizer() == CodecChainSpec.Quantizer.UNIFORM && spec.scale() == UniformQuantizer.Scale.PER_LAYER) {
            throw new IllegalArgumentException("per-layer quantization needs a ParameterLayout: " + spec.canonical());
        }
    }

    private CodecChain(CodecChainSpec spec, int length, long fingerprint, int[] segmentEnds) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.spec = spec;
        this.length = length;
        this.fingerprint = fingerprint;
        this.segmentEnds = segmentEnds;
        this.specBytes = spec.canonical().getBytes(StandardCharsets.UTF_8);
        this.uniform = switch (spec.quantizer()) {
            case UNIFORM -> spec.stochastic() ? UniformQuantizer.stochastic(spec.bits(), spec.seed())
                    : UniformQuantizer.deterministic(spec.bits());
            default -> null;
        };
        this.pow2 = spec.quantizer() == CodecChainSpec.Quantizer.POW2
                ? new PowerOfTwoQuantizer(spec.minExp(), spec.maxExp()) : null;
    }

    public static CodecChain of(String spec, ParameterLayout layout) {
        return new CodecChain(CodecChainSpec.parse(spec), layout);
    }

    public CodecChainSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return "chain[" + spec.canonical() + "]";
    }

    private boolean perLayer() {
        return uniform != null && spec.scale() == UniformQuantizer.Scale.PER_LAYER;
    }

    /** Quantization groups for {@code indices} (ascending) of the full vector: per segment or one. */
    private int[] groups(int[] indices) {
        if (!perLayer()) {
            return new int[] {indices == null ? length : indices.length};
        }
        if (indices == null) {
            return segmentEnds.clone();
        }
        int[] ends = new int[segmentEnds.length];
        for (int g = 0; g < ends.length; g++) {
            int pos = Arrays.binarySearch(indices, segmentEnds[g]);
            ends[g] = pos >= 0 ? pos : -pos - 1; // number of indices below the segment end
        }
        return ends;
    }

    private long valueBytes(int count, int[] groups) {
        return switch (spec.quantizer()) {
            case NONE -> 4L * count;
            case UNIFORM -> UniformQuantizer.blockBytes(count, groups.length, spec.bits());
            case POW2 -> pow2.blockBytes(count);
        };
    }

    /** Largest possible body before deflate: the cap for a declared inflated size. */
    long maxRawSize() {
        long values = valueBytes(length, perLayer() ? segmentEnds : new int[1]);
        return spec.sparse() ? SparseIndex.FIXED + SparseIndex.bitmapBytes(length) + values : values;
    }

    @Override
    public byte[] encode(float[] params) {
        if (params.length != length) {
            throw new IllegalArgumentException("cannot encode " + params.length + " parameters with a codec for " + length);
        }
        // Only the magnitude and pow2 stages change the vector in place: otherwise read the caller's.
        float[] x = spec.hasMagnitude() || (spec.sparse() && pow2 != null) ? params.clone() : params;
        if (spec.hasMagnitude()) {
            MagnitudePruner.keepLargest(x, 1.0 - spec.pruneFraction()).applyTo(x);
        }
        Body body = plan(x);
        int prefix = PayloadHeader.SIZE + 2 + specBytes.length;
        byte[] out;
        if (spec.deflate()) {
            byte[] raw = new byte[Math.toIntExact(body.size)];
            writeBody(body, raw, 0);
            byte[] z = DeflateStage.compress(raw);
            out = new byte[prefix + 4 + z.length];
            SparseIndex.INT_LE.set(out, prefix, raw.length);
            System.arraycopy(z, 0, out, prefix + 4, z.length);
        } else {
            // The body is written straight into the payload: no body array and no copy of it.
            out = new byte[Math.toIntExact(prefix + body.size)];
            writeBody(body, out, prefix);
        }
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(FORMAT, VERSION, length, fingerprint).write(buf);
        buf.putShort((short) specBytes.length).put(specBytes);
        return PayloadHeader.seal(out);
    }

    /**
     * The body's content, settled before a byte is written so the payload is allocated once at
     * its exact size. {@code scan}/{@code structure}: the sparse positions and the size of their
     * index structure (null/0 for dense); {@code vals}: the values the quantizer sees (null for a
     * sparse float32 body, whose values are read from {@code x} by position); {@code ranges}: the
     * uniform quantizer's per-group min and max if already known, else null.
     */
    private record Body(float[] x, SparseIndex.Scan scan, long structure, float[] vals, int[] groups, float[] ranges,
            long size) {
    }

    private Body plan(float[] x) {
        if (!spec.sparse()) {
            int[] groups = groups((int[]) null);
            return new Body(x, null, 0, x, groups, null, valueBytes(length, groups));
        }
        if (pow2 != null) {
            // pow2 maps tiny values to zero: those need no position either.
            for (int i = 0; i < x.length; i++) {
                x[i] = pow2.quantize(x[i]);
            }
        }
        SparseIndex.Scan scan = SparseIndex.scan(x);
        int count = scan.count();
        long structure = SparseIndex.structureBytes(scan, length);
        int[] groups = scan.indices() != null ? groups(scan.indices()) : groups(scan.words(), count);
        float[] vals = null;
        float[] ranges = null;
        if (spec.quantizer() == CodecChainSpec.Quantizer.NONE) {
            // values are written from x by position
        } else if (scan.indices() != null) {
            vals = gather(x, scan.indices()); // few values: the quantizer finds their range itself
        } else if (spec.quantizer() == CodecChainSpec.Quantizer.UNIFORM && groups.length == 1) {
            // One group: its range comes along with the gather instead of from a second pass.
            vals = new float[count];
            ranges = new float[2];
            if (!gatherWithRange(x, scan.words(), vals, ranges)) {
                ranges = null; // a non-finite value: the quantizer's own pass finds and reports it
            }
        } else {
            vals = gather(x, scan.words(), count);
        }
        return new Body(x, scan, structure, vals, groups, ranges,
                SparseIndex.FIXED + structure + valueBytes(count, groups));
    }

    /** Writes {@code b} into {@code out} at {@code pos}, which has {@code b.size} bytes of room. */
    private void writeBody(Body b, byte[] out, int pos) {
        int p = pos;
        if (b.scan != null) {
            p = SparseIndex.write(b.scan, length, b.structure, out, p);
        }
        switch (spec.quantizer()) {
            case NONE -> {
                if (b.scan != null) {
                    SparseFloat32Codec.writeValues(b.x, b.scan, out, p);
                } else {
                    for (int k = 0; k < b.x.length; k++) {
                        SparseIndex.FLOAT_LE.set(out, p + 4 * k, b.x[k]);
                    }
                }
            }
            case UNIFORM -> uniform.write(b.vals, b.groups, b.ranges, out, p);
            case POW2 -> pow2.write(b.vals, ByteBuffer.wrap(out, p, out.length - p).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    /** Quantization groups for the sparse positions in {@code words}: per segment (ranks at the segment ends) or one. */
    private int[] groups(long[] words, int count) {
        if (!perLayer()) {
            return new int[] {count};
        }
        return SparseIndex.ranks(words, segmentEnds); // positions below each segment end
    }

    /**
     * {@link #gather} into {@code v} that also finds the values' min and max into {@code range}
     * exactly as {@link UniformQuantizer#range} does (the first value, then strictly
     * smaller/larger ones, in index order). Returns false, with {@code range} meaningless, if a
     * value is not finite.
     */
    private static boolean gatherWithRange(float[] x, long[] words, float[] v, float[] range) {
        float min = 0f;
        float max = 0f;
        int first = 0;
        while (first < words.length && words[first] == 0) {
            first++;
        }
        if (first < words.length) {
            min = x[(first << 6) + Long.numberOfTrailingZeros(words[first])];
            max = min;
        }
        boolean nan = false;
        int k = 0;
        for (int w = first; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                float e = x[base + Long.numberOfTrailingZeros(word)];
                word &= word - 1;
                v[k++] = e;
                // Two compares per value, rarely true, that also catch NaN (unordered): the update
                // of min (max) when e is below (above) it, else e must be NaN.
                if (!(e >= min)) {
                    if (e < min) {
                        min = e;
                    } else {
                        nan = true;
                    }
                }
                if (!(e <= max)) {
                    if (e > max) {
                        max = e;
                    } else {
                        nan = true;
                    }
                }
            }
        }
        range[0] = min;
        range[1] = max;
        return !nan && Float.isFinite(min) && Float.isFinite(max); // an infinity would be the min or max
    }

    private static float[] gather(float[] x, int[] indices) {
        float[] v = new float[indices.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = x[indices[k]];
        }
        return v;
    }

    /** The values at the positions in {@code words}, in index order. */
    private static float[] gather(float[] x, long[] words, int count) {
        float[] v = new float[count];
        int k = 0;
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                v[k++] = x[base + Long.numberOfTrailingZeros(word)];
                word &= word - 1;
            }
        }
        return v;
    }

    @Override
    public float[] decode(byte[] payload) {
        ByteBuffer in = PayloadHeader.open(payload, FORMAT, VERSION, length, fingerprint);
        Wire.need(in, 2, "chain description length");
        int n = Short.toUnsignedInt(in.getShort());
        if (n > MAX_SPEC_BYTES) {
            throw new PayloadFormatException("chain description of " + n + " bytes exceeds " + MAX_SPEC_BYTES);
        }
        Wire.need(in, n, "chain description");
        byte[] got = new byte[n];
        in.get(got);
        if (!Arrays.equals(got, specBytes)) {
            throw new PayloadFormatException("payload was encoded by chain '" + new String(got, StandardCharsets.UTF_8)
                    + "', this receiver is configured for '" + spec.canonical() + "'");
        }
        ByteBuffer body = in;
        if (spec.deflate()) {
            Wire.need(in, 4, "inflated size");
            int declared = in.getInt();
            byte[] raw = DeflateStage.decompress(payload, in.position(), in.remaining(), declared, maxRawSize());
            body = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        }
        float[] out = decodeBody(body);
        Wire.end(body, spec.deflate() ? "inflated chain body" : "chain payload");
        return out;
    }

    private float[] decodeBody(ByteBuffer in) {
        SparseIndex.Positions at = spec.sparse() ? SparseIndex.readPositions(in, length) : null;
        long[] words = at == null ? null : at.words(); // non-null for a bitmap: values go straight to their positions
        int count = at == null ? length : at.count();
        int[] groups = words != null ? groups(words, count) : groups(at == null ? null : at.indices());
        Wire.need(in, valueBytes(count, groups), count + " values");
        if (words != null && spec.quantizer() == CodecChainSpec.Quantizer.NONE) {
            float[] out = new float[length];
            SparseFloat32Codec.readValues(in.array(), in.arrayOffset() + in.position(), words, out);
            in.position(in.position() + 4 * count);
            return out;
        }
        if (words != null && spec.quantizer() == CodecChainSpec.Quantizer.UNIFORM && spec.bits() == 8
                && groups.length == 1) {
            float[] out = new float[length];
            UniformQuantizer.read(in, count, groups, 8, words, out); // dequantized straight to the positions
            return out;
        }
        float[] vals = switch (spec.quantizer()) {
            case NONE -> {
                float[] v = new float[count];
                byte[] a = in.array();
                int p = in.arrayOffset() + in.position();
                for (int k = 0; k < count; k++) {
                    v[k] = (float) SparseIndex.FLOAT_LE.get(a, p + 4 * k);
                }
                in.position(in.position() + 4 * count);
                yield v;
            }
            case UNIFORM -> UniformQuantizer.read(in, count, groups, spec.bits());
            case POW2 -> pow2.read(in, count);
        };
        if (at == null) {
            return vals;
        }
        float[] out = new float[length];
        if (words != null) {
            int k = 0;
            for (int w = 0; w < words.length; w++) {
                long word = words[w];
                int base = w << 6;
                while (word != 0) {
                    out[base + Long.numberOfTrailingZeros(word)] = vals[k++];
                    word &= word - 1;
                }
            }
        } else {
            int[] idx = at.indices();
            for (int k = 0; k < idx.length; k++) {
                out[idx[k]] = vals[k];
            }
        }
        return out;
    }
}
