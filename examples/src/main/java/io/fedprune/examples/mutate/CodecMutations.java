package io.fedprune.examples.mutate;

import io.fedprune.core.compress.CodecChain;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.PayloadHeader;
import io.fedprune.core.compress.QuantizedCodec;
import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.compress.UniformQuantizer;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Mutation campaign over every wire codec: the four payload formats, and codec chains covering
 * every stage combination {@link CodecChainSpec} accepts (no magnitude or {@code magnitude(0.5)};
 * no quantizer, {@code quantize} at 1, 2 (stochastic), 4 (per-layer), 8 and 16 bits, or
 * {@code pow2}; {@code dense} or {@code sparse}; with or without {@code deflate}), plus every
 * chain GoldenBytesTest pins. Each codec encodes four models of a small layout (2 560 values in
 * four segments) at densities 1, 0.5, 0.1 and 0.01, and its mutated payloads are decoded; see
 * {@link MutationTally} for what must hold.
 */
public final class CodecMutations {
    /** A small two-layer layout: per-layer quantization has four groups, sparse bodies both index kinds. */
    public static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 2000, new long[] {40, 50}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 2000, 50, new long[] {1, 50}),
            new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 2050, 500, new long[] {50, 10}),
            new ParameterSegment("1_b", 1, SegmentKind.BIAS, 2550, 10, new long[] {1, 10})));
    private static final double[] SCALES = {0.05, 0.01, 0.2, 0.02};
    private static final double[] DENSITIES = {1.0, 0.5, 0.1, 0.01};

    private CodecMutations() {
    }

    /** Every codec under test, by name; each supplier makes a fresh instance. */
    public static Map<String, Supplier<WireCodec>> codecs() {
        int w = LAYOUT.totalLength();
        long fp = LAYOUT.fingerprint();
        Map<String, Supplier<WireCodec>> out = new LinkedHashMap<>();
        out.put("codec:dense-f32", () -> new DenseFloat32Codec(w, fp));
        out.put("codec:sparse-f32", () -> new SparseFloat32Codec(w, fp));
        out.put("codec:quantized-8", () -> new QuantizedCodec(UniformQuantizer.deterministic(8), w, fp));
        out.put("codec:quantized-4-stochastic", () -> new QuantizedCodec(UniformQuantizer.stochastic(4, 9), w, fp));
        out.put("codec:quantized-8-per-layer", () -> new QuantizedCodec(UniformQuantizer.deterministic(8),
                UniformQuantizer.Scale.PER_LAYER, LAYOUT));
        List<String> chains = new ArrayList<>();
        for (String magnitude : new String[] {"", "magnitude(0.5) > "}) {
            for (String q : new String[] {"", "quantize(8) > ", "quantize(4, per-layer) > ",
                "quantize(2, stochastic, seed=3) > ", "quantize(1) > ", "quantize(16) > ", "pow2 > "}) {
                for (String layout : new String[] {"dense", "sparse"}) {
                    for (String deflate : new String[] {"", " > deflate"}) {
                        chains.add(magnitude + q + layout + deflate);
                    }
                }
            }
        }
        // GoldenBytesTest's chains not already in the grid above
        chains.addAll(List.of("magnitude(0.9) > sparse", "quantize(4) > sparse", "quantize(2) > sparse",
                "quantize(8, stochastic, seed=7) > sparse", "quantize(4, stochastic, seed=3) > sparse",
                "magnitude(0.5) > quantize(8, stochastic, seed=11) > sparse", "quantize(8, stochastic, seed=5)",
                "quantize(8, per-layer) > sparse", "quantize(4, per-layer) > sparse", "quantize(8, per-layer)",
                "quantize(8, per-layer, stochastic, seed=4) > sparse", "quantize(4, per-layer, stochastic, seed=4)"));
        for (String chain : chains) {
            CodecChainSpec spec = CodecChainSpec.parse(chain);
            out.putIfAbsent("chain:" + spec, () -> new CodecChain(spec, LAYOUT));
        }
        return out;
    }

    /** Model {@code k} of the four: exactly round(density * W) non-zeros, per-segment scales. */
    static float[] model(int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + k);
        int w = LAYOUT.totalLength();
        int[] perm = new int[w];
        for (int i = 0; i < w; i++) {
            perm[i] = i;
        }
        int nz = (int) Math.round(DENSITIES[k] * w);
        for (int i = 0; i < nz; i++) {
            int j = rng.nextInt(i, w);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] x = new float[w];
        for (int i = 0; i < nz; i++) {
            int at = perm[i];
            int s = 0;
            while (LAYOUT.segments().get(s).end() <= at) {
                s++;
            }
            float v;
            do {
                v = (float) (rng.nextGaussian() * SCALES[s]);
            } while (v == 0f);
            x[at] = v;
        }
        return x;
    }

    /**
     * {@code mutations} mutated payloads of {@code codec} that differ from the original (no-ops
     * come on top), seeded, decoded and tallied.
     */
    public static MutationTally run(String name, WireCodec codec, long mutations, long seed) {
        List<byte[]> payloads = new ArrayList<>();
        List<int[]> decoded = new ArrayList<>();
        for (int k = 0; k < DENSITIES.length; k++) {
            byte[] p = codec.encode(model(k, seed));
            payloads.add(p);
            decoded.add(bits(codec.decode(p)));
        }
        MutationTally t = new MutationTally(name);
        SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
        for (long i = 0; t.mutations < mutations; i++) {
            int b = (int) (i % payloads.size());
            byte[] original = payloads.get(b);
            Mutation kind = Mutation.random(rng);
            byte[] m = kind.apply(original, rng);
            boolean same = Arrays.equals(m, original);
            if (!same) {
                t.mutations++;
            }
            long t0 = System.nanoTime();
            try {
                float[] out = codec.decode(m);
                t.timed(System.nanoTime() - t0, kind);
                t.decoded(kind, same, () -> Arrays.equals(bits(out), decoded.get(b)), m.length, original.length);
            } catch (PayloadFormatException e) {
                t.timed(System.nanoTime() - t0, kind);
                t.refused(kind, same, e.getMessage());
            } catch (RuntimeException | Error e) {
                t.timed(System.nanoTime() - t0, kind);
                t.failed(kind, e);
            }
            if (!same && m.length >= PayloadHeader.SIZE) {
                resealed(t, codec, PayloadHeader.seal(m), kind);
            }
        }
        return t;
    }

    private static void resealed(MutationTally t, WireCodec codec, byte[] m, Mutation kind) {
        t.resealed(kind, () -> codec.decode(m), PayloadFormatException.class);
    }

    private static int[] bits(float[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Float.floatToRawIntBits(x[i]);
        }
        return out;
    }
}
