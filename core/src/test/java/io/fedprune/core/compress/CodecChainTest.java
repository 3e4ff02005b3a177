package io.fedprune.core.compress;

import static io.fedprune.core.compress.CompressFixtures.LAYOUT;
import static io.fedprune.core.compress.CompressFixtures.concat;
import static io.fedprune.core.compress.CompressFixtures.header;
import static io.fedprune.core.compress.CompressFixtures.le;
import static io.fedprune.core.compress.CompressFixtures.payload;
import static io.fedprune.core.compress.CompressFixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecChainTest {
    private static final int W = LAYOUT.totalLength();
    private static final long FP = LAYOUT.fingerprint();
    private static final double[] DENSITIES = {1.0, 0.5, 0.1, 0.01, 0.0};
    private static final int[] BITS = {1, 2, 4, 8, 16};

    /** Formats of the randomized round-trip matrix; "%d" is replaced by the bit width. */
    private static final String[] LOSSLESS = {"codec:sparse", "codec:dense", "sparse > deflate", "dense > deflate", "dense"};
    private static final String[] QUANTIZED = {
        "codec:quantized-per-tensor", "codec:quantized-per-layer", "quantize(%d) > sparse",
        "quantize(%d, per-layer) > sparse > deflate", "quantize(%d, stochastic, seed=3) > sparse",
        "quantize(%d, per-layer, stochastic) > deflate", "magnitude(0.5) > quantize(%d) > sparse",
        "quantize(%d)",
    };
    private static final String[] POW2 = {"pow2 > sparse", "pow2(-12, 0) > dense > deflate", "magnitude(0.7) > pow2 > sparse"};

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (double d : DENSITIES) {
            for (String f : LOSSLESS) {
                out.add(Arguments.of(f, d, 0));
            }
            for (String f : POW2) {
                out.add(Arguments.of(f, d, 0));
            }
            for (int b : BITS) {
                for (String f : QUANTIZED) {
                    out.add(Arguments.of(f.replace("%d", Integer.toString(b)), d, b));
                }
            }
        }
        return out.stream();
    }

    private static WireCodec codec(String format, int bits) {
        return switch (format) {
            case "codec:sparse" -> new SparseFloat32Codec(W, FP);
            case "codec:dense" -> new DenseFloat32Codec(W, FP);
            case "codec:quantized-per-tensor" -> new QuantizedCodec(UniformQuantizer.deterministic(bits),
                    UniformQuantizer.Scale.PER_TENSOR, LAYOUT);
            case "codec:quantized-per-layer" -> new QuantizedCodec(UniformQuantizer.deterministic(bits),
                    UniformQuantizer.Scale.PER_LAYER, LAYOUT);
            default -> CodecChain.of(format, LAYOUT);
        };
    }

    /** Reference magnitude pruning: sort by |v| descending, lower index first on ties, keep round(keep * n). */
    static float[] referencePrune(float[] x, double pruneFraction) {
        int keep = (int) Math.round((1 - pruneFraction) * x.length);
        Integer[] order = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(x[i])).thenComparingInt(i -> i));
        float[] y = new float[x.length];
        for (int k = 0; k < keep; k++) {
            y[order[k]] = x[order[k]];
        }
        return y;
    }

    /** Index groups the quantizer sees: all entries (dense) or the non-zeros (sparse), per tensor or per segment. */
    static List<int[]> groups(float[] x, boolean sparse, boolean perLayer) {
        List<int[]> out = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        if (perLayer) {
            for (ParameterSegment s : LAYOUT.segments()) {
                ranges.add(new int[] {s.offset(), s.end()});
            }
        } else {
            ranges.add(new int[] {0, x.length});
        }
        for (int[] r : ranges) {
            out.add(IntStream.range(r[0], r[1]).filter(i -> !sparse || x[i] != 0f).toArray());
        }
        return out;
    }

    @ParameterizedTest(name = "{0} density={1} bits={2}")
    @MethodSource("matrix")
    void roundTripAgainstReference(String format, double density, int bits) {
        for (long seed = 1; seed <= 2; seed++) {
            float[] x = CompressFixtures.vector(LAYOUT, density, seed * 1000 + bits);
            WireCodec codec = codec(format, bits);
            byte[] payload = codec.encode(x);
            float[] y = codec.decode(payload);
            assertEquals(W, y.length);
            String f = format.toLowerCase();
            float[] input = x;
            if (f.startsWith("magnitude(")) {
                double r = Double.parseDouble(f.substring(10, f.indexOf(')')));
                input = referencePrune(x, r);
            }
            if (f.contains("pow2")) {
                CodecChainSpec spec = CodecChainSpec.parse(format);
                for (int i = 0; i < W; i++) {
                    assertEquals(PowerOfTwoQuantizerTest.reference(input[i], spec.minExp(), spec.maxExp()), y[i],
                            "entry " + i);
                }
            } else if (bits == 0) {
                assertArrayEquals(input, y);
            } else {
                boolean sparse = f.contains("sparse");
                boolean stochastic = f.contains("stochastic");
                checkUniform(input, y, groups(input, sparse, f.contains("per-layer")), bits, stochastic, sparse);
            }
        }
    }

    private static void checkUniform(float[] x, float[] y, List<int[]> groups, int bits, boolean stochastic,
            boolean sparse) {
        boolean[] covered = new boolean[x.length];
        for (int[] g : groups) {
            if (g.length == 0) {
                continue;
            }
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i : g) {
                mn = Math.min(mn, x[i]);
                mx = Math.max(mx, x[i]);
            }
            double step = UniformQuantizer.step(mn, mx, bits);
            double slack = UniformQuantizerTest.slack(mn, mx);
            for (int i : g) {
                covered[i] = true;
                double err = Math.abs((double) x[i] - y[i]);
                if (stochastic) {
                    assertTrue(err < step + slack, "entry " + i + " stochastic error " + err + " step " + step);
                } else {
                    assertTrue(err <= step / 2 + slack, "entry " + i + " error " + err + " step/2 " + step / 2);
                    if (bits <= 8) {
                        float ref = UniformQuantizerTest.nearestLevelBruteForce(x[i], mn, mx, bits);
                        assertTrue(err <= Math.abs((double) x[i] - ref) + slack, "entry " + i + " not nearest level");
                    }
                }
            }
        }
        if (sparse) {
            for (int i = 0; i < x.length; i++) {
                if (!covered[i]) {
                    assertEquals(0f, y[i], "pruned or zero entry " + i + " stays zero");
                }
            }
        }
    }

    // ---- sizes -----------------------------------------------------------------------------

    @Test
    void quantizedSparseIsSmallerThanFloatSparseAndDeflateHelpsOnRedundantData() {
        float[] x = CompressFixtures.vector(LAYOUT, 0.1, 4);
        int f32 = CodecChain.of("sparse", LAYOUT).encode(x).length;
        int q4 = CodecChain.of("quantize(4) > sparse", LAYOUT).encode(x).length;
        assertTrue(q4 < f32, q4 + " vs " + f32);
        float[] zeros = new float[W];
        assertTrue(CodecChain.of("dense > deflate", LAYOUT).encode(zeros).length < 100);
        // Body of a dense float chain is exactly 4W after header and spec.
        assertEquals(20 + 2 + "dense".length() + 4 * W, CodecChain.of("dense", LAYOUT).encode(x).length);
    }

    // ---- malformed input -------------------------------------------------------------------

    private static byte[] chainPayload(String canonical, byte[] body) {
        byte[] spec = canonical.getBytes(StandardCharsets.UTF_8);
        byte[] len = new byte[2];
        le(len).putShort(0, (short) spec.length);
        return payload(header((byte) 4, W, FP), len, spec, body);
    }

    @Test
    void rejectsPayloadOfAnotherChain() {
        byte[] p = CodecChain.of("quantize(8) > sparse", LAYOUT).encode(CompressFixtures.vector(LAYOUT, 0.5, 1));
        rejects(CodecChain.of("quantize(4) > sparse", LAYOUT), p,
                "encoded by chain 'quantize(8, per-tensor, deterministic) > sparse', this receiver is configured for "
                        + "'quantize(4, per-tensor, deterministic) > sparse'");
        rejects(CodecChain.of("quantize(8) > sparse > deflate", LAYOUT), p, "configured for");
        rejects(new SparseFloat32Codec(W, FP), p, "format id");
        // A different seed is the same chain on the wire.
        CodecChain a = CodecChain.of("quantize(3, stochastic, seed=1) > sparse", LAYOUT);
        CodecChain b = CodecChain.of("quantize(3, stochastic, seed=2)→sparse", LAYOUT);
        assertEquals(W, b.decode(a.encode(CompressFixtures.vector(LAYOUT, 0.5, 1))).length);
    }

    @Test
    void rejectsTruncatedTrailingAndForeignLayouts() {
        float[] x = CompressFixtures.vector(LAYOUT, 0.05, 2);
        for (String spec : new String[] {"quantize(3) > sparse", "pow2 > sparse", "magnitude(0.5) > sparse > deflate",
                "quantize(5, per-layer) > deflate", "dense"}) {
            CodecChain c = CodecChain.of(spec, LAYOUT);
            byte[] p = c.encode(x);
            CompressFixtures.rejectsTruncationAndTrailing(c, p);
            rejects(new CodecChain(CodecChainSpec.parse(spec), renamed()), p, "fingerprint");
            rejects(new CodecChain(CodecChainSpec.parse(spec), longer()), p, "declares");
        }
    }

    @Test
    void rejectsOversizedDescriptionAndBadBodies() {
        CodecChain dense = CodecChain.of("dense", LAYOUT);
        byte[] huge = payload(header((byte) 4, W, FP), new byte[] {(byte) 0xff, (byte) 0xff}, new byte[10]);
        rejects(dense, huge, "exceeds");

        CodecChain sparse = CodecChain.of("sparse", LAYOUT);
        byte[] idx = new byte[5];
        le(idx).put(0, (byte) 1).putInt(1, 1);
        rejects(sparse, chainPayload("sparse", concat(idx, CompressFixtures.varint(W), new byte[4])), "out of range");
        le(idx).putInt(1, W + 1);
        rejects(sparse, chainPayload("sparse", concat(idx, new byte[4 * W + W + 8])), "exceeds the vector length");

        // pow2(-4, 0): 5 exponents, 3-bit exponent codes + sign = 4 bits; code 6 is out of range.
        CodecChain pow2 = new CodecChain(CodecChainSpec.parse("pow2(-4, 0)"), 2, FP);
        byte[] p2 = payload(header((byte) 4, 2, FP), new byte[] {(byte) "pow2(-4, 0) > dense".length(), 0},
                "pow2(-4, 0) > dense".getBytes(StandardCharsets.UTF_8), new byte[] {0x16});
        rejects(pow2, p2, "out of range for exponents");
    }

    @Test
    void deflatedBodiesAreCheckedForSizeLiesAndTrailingBytes() {
        CodecChain c = CodecChain.of("dense > deflate", LAYOUT);
        byte[] raw = new byte[4 * W];
        byte[] z = DeflateStage.compress(raw);
        rejects(c, chainPayload("dense > deflate", concat(int32(4 * W + 1), z)), "outside");
        rejects(c, chainPayload("dense > deflate", concat(int32(4 * W - 4), DeflateStage.compress(new byte[4 * W - 4]))),
                "truncated");
        rejects(c, chainPayload("dense > deflate", concat(int32(4 * W - 4), z)), "more than the declared");
        rejects(c, chainPayload("dense > deflate", concat(int32(-5), z)), "outside");
        // Inflates to exactly the declared size, but the inflated body itself is too long.
        CodecChain s = CodecChain.of("sparse > deflate", LAYOUT);
        byte[] body = new byte[5 + 125 + 1]; // bitmap flag, count 0, 125-byte bitmap, one extra byte
        rejects(s, chainPayload("sparse > deflate", concat(int32(body.length), DeflateStage.compress(body))), "trailing");
        byte[] body2 = new byte[5 + 1];
        le(body2).put(0, (byte) 1); // varint flag, count 0, one extra byte
        rejects(s, chainPayload("sparse > deflate", concat(int32(body2.length), DeflateStage.compress(body2))),
                "trailing");
    }

    @Test
    void perLayerNeedsALayout() {
        assertThrows(IllegalArgumentException.class,
                () -> new CodecChain(CodecChainSpec.parse("quantize(4, per-layer)"), W, FP));
        assertThrows(IllegalArgumentException.class, () -> CodecChain.of("dense", LAYOUT).encode(new float[W - 1]));
    }

    /** Same shapes, another name: another architecture as far as the fingerprint is concerned. */
    private static ParameterLayout renamed() {
        List<ParameterSegment> s = new ArrayList<>(LAYOUT.segments());
        ParameterSegment last = s.remove(s.size() - 1);
        s.add(new ParameterSegment("3_W", 3, last.kind(), last.offset(), last.length(), last.shape()));
        return new ParameterLayout(s);
    }

    private static ParameterLayout longer() {
        List<ParameterSegment> s = new ArrayList<>(LAYOUT.segments());
        s.add(new ParameterSegment("3_b", 3, io.fedprune.core.model.SegmentKind.BIAS, W, 1, new long[] {1, 1}));
        return new ParameterLayout(s);
    }

    private static byte[] int32(int v) {
        byte[] b = new byte[4];
        le(b).putInt(0, v);
        return b;
    }
}
