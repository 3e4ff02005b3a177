package io.fedprune.core.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The non-zero entries of a vector as float32 values plus their positions, for pruned models and
 * sparsified updates. Layout after the {@link PayloadHeader}: flag byte (0 = bitmap, 1 = varint),
 * int32 count n, the index structure (a ceil(W/8)-byte bitmap or n delta-coded LEB128 varints,
 * whichever is smaller for this vector), then n little-endian float32 values in index order.
 * Decoding restores zeros elsewhere; {@code -0.0f} is sent as zero, i.e. as {@code +0.0f}.
 *
 * <p>Size: {@code 20 + 5 + indexBytes + 4n} with indexBytes = min(ceil(W/8), varint bytes); see
 * {@link #bitmapSize} (exact when the bitmap is chosen) and {@link #predictedSize} (upper bound).
 */
public final class SparseFloat32Codec implements WireCodec {
    public static final byte FORMAT = 2;
    public static final byte VERSION = 2;

    private final int length;
    private final long fingerprint;

    public SparseFloat32Codec(int length, long layoutFingerprint) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.length = length;
        this.fingerprint = layoutFingerprint;
    }

    @Override
    public String name() {
        return "sparse-f32";
    }

    /** Exact payload size when the bitmap structure is used. */
    public static long bitmapSize(int length, int nonZeros) {
        return PayloadHeader.SIZE + SparseIndex.FIXED + SparseIndex.bitmapBytes(length) + 4L * nonZeros;
    }

    /**
     * Upper bound on the varint index bytes for any {@code nonZeros} ascending indices below
     * {@code length}. A varint of g takes 1 + floor(log2(g)/7) <= 1 + log2(g+1)/7 bytes; the n
     * coded values (first index, then gaps) sum to at most W-1, so the (g+1) sum to at most W-1+n,
     * and by concavity (Jensen) the log terms sum to at most n*log2((W-1+n)/n).
     */
    public static long varintIndexBytesUpperBound(int length, int nonZeros) {
        if (nonZeros == 0) {
            return 0;
        }
        double jensen = nonZeros + nonZeros / 7.0 * (Math.log((length - 1.0 + nonZeros) / nonZeros) / Math.log(2));
        long worstEach = (long) nonZeros * Wire.varintSize(Math.max(length - 1, 0));
        return Math.min(worstEach, (long) Math.ceil(jensen + 1e-9));
    }

    /** Upper bound on the payload size for {@code nonZeros} of {@code length}: exact when the bitmap wins. */
    public static long predictedSize(int length, int nonZeros) {
        long index = Math.min(SparseIndex.bitmapBytes(length), varintIndexBytesUpperBound(length, nonZeros));
        return PayloadHeader.SIZE + SparseIndex.FIXED + index + 4L * nonZeros;
    }

    /** Lower bound: every varint takes at least one byte. */
    public static long minimumSize(int length, int nonZeros) {
        long index = Math.min(SparseIndex.bitmapBytes(length), nonZeros);
        return PayloadHeader.SIZE + SparseIndex.FIXED + index + 4L * nonZeros;
    }

    @Override
    public byte[] encode(float[] params) {
        if (params.length != length) {
            throw new IllegalArgumentException("cannot encode " + params.length + " parameters with a codec for " + length);
        }
        SparseIndex.Scan scan = SparseIndex.scan(params);
        int n = scan.count();
        long structure = SparseIndex.structureBytes(scan, length); // one pass over the varint sizes, if any
        long size = PayloadHeader.SIZE + SparseIndex.FIXED + structure + 4L * n;
        byte[] out = new byte[Math.toIntExact(size)];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(FORMAT, VERSION, length, fingerprint).write(buf);
        int p = SparseIndex.write(scan, length, structure, out, PayloadHeader.SIZE);
        writeValues(params, scan, out, p);
        return PayloadHeader.seal(out);
    }

    /** The inverse of {@link #writeValues}: float32 values from {@code src} at {@code p} to the positions in {@code words}. */
    static void readValues(byte[] src, int p, long[] words, float[] out) {
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                out[base + Long.numberOfTrailingZeros(word)] = (float) SparseIndex.FLOAT_LE.get(src, p);
                p += 4;
                word &= word - 1;
            }
        }
    }

    /** {@link #writeValues(float[], long[], byte[], int)} for a scan: from its indices if it has them. */
    static int writeValues(float[] x, SparseIndex.Scan scan, byte[] out, int p) {
        int[] idx = scan.indices();
        if (idx == null) {
            return writeValues(x, scan.words(), out, p);
        }
        for (int k = 0; k < idx.length; k++) {
            SparseIndex.FLOAT_LE.set(out, p + 4 * k, x[idx[k]]);
        }
        return p + 4 * idx.length;
    }

    /**
     * The float32 values of {@code x} at the positions in {@code words}, in index order, at
     * {@code p}: straight from the presence words, no index array, no branch per entry.
     */
    static int writeValues(float[] x, long[] words, byte[] out, int p) {
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            int base = w << 6;
            while (word != 0) {
                SparseIndex.FLOAT_LE.set(out, p, x[base + Long.numberOfTrailingZeros(word)]);
                p += 4;
                word &= word - 1;
            }
        }
        return p;
    }

    @Override
    public float[] decode(byte[] payload) {
        ByteBuffer in = PayloadHeader.open(payload, FORMAT, VERSION, length, fingerprint);
        SparseIndex.Positions at = SparseIndex.readPositions(in, length);
        int n = at.count();
        Wire.need(in, 4L * n, n + " float32 values");
        float[] out = new float[length];
        byte[] src = in.array();
        int p = in.arrayOffset() + in.position();
        if (at.words() != null) {
            readValues(src, p, at.words(), out);
        } else {
            int[] idx = at.indices();
            for (int k = 0; k < n; k++) {
                out[idx[k]] = (float) SparseIndex.FLOAT_LE.get(src, p + 4 * k);
            }
        }
        in.position(in.position() + 4 * n);
        Wire.end(in, "sparse payload");
        return out;
    }
}
