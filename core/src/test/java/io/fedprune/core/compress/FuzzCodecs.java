package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every wire codec of this package, as the fuzz tests ({@link CodecFuzzTest}) pick them by one
 * input byte: the four payload formats and codec chains over every stage combination
 * {@link CodecChainSpec} accepts. The layout is small (147 values in three 64-bit presence words,
 * four segments), so a fuzzer's input reaches every body structure in a few hundred bytes.
 */
final class FuzzCodecs {
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 96, new long[] {8, 12}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 96, 12, new long[] {1, 12}),
            new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 108, 36, new long[] {12, 3}),
            new ParameterSegment("1_b", 1, SegmentKind.BIAS, 144, 3, new long[] {1, 3})));

    /** A codec under fuzzing: its name, a fresh instance (stochastic stages hold state), its header, its stages. */
    record Entry(String name, Supplier<WireCodec> codec, byte format, byte version, CodecChainSpec spec) {
        /** The header a receiver of this codec accepts, checksum field zero: what a fuzzed body is framed with. */
        byte[] header() {
            byte[] h = new byte[PayloadHeader.SIZE];
            new PayloadHeader(format, version, LAYOUT.totalLength(), LAYOUT.fingerprint())
                    .write(ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN));
            return h;
        }
    }

    static final List<Entry> ALL = build();

    private FuzzCodecs() {
    }

    private static List<Entry> build() {
        int w = LAYOUT.totalLength();
        long fp = LAYOUT.fingerprint();
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("dense-f32", () -> new DenseFloat32Codec(w, fp), DenseFloat32Codec.FORMAT,
                DenseFloat32Codec.VERSION, CodecChainSpec.parse("dense")));
        out.add(new Entry("sparse-f32", () -> new SparseFloat32Codec(w, fp), SparseFloat32Codec.FORMAT,
                SparseFloat32Codec.VERSION, CodecChainSpec.parse("sparse")));
        out.add(new Entry("quantized-8", () -> new QuantizedCodec(UniformQuantizer.deterministic(8), w, fp),
                QuantizedCodec.FORMAT, QuantizedCodec.VERSION, CodecChainSpec.parse("quantize(8)")));
        out.add(new Entry("quantized-3-stochastic", () -> new QuantizedCodec(UniformQuantizer.stochastic(3, 9), w, fp),
                QuantizedCodec.FORMAT, QuantizedCodec.VERSION, CodecChainSpec.parse("quantize(3, stochastic, seed=9)")));
        out.add(new Entry("quantized-5-per-layer", () -> new QuantizedCodec(UniformQuantizer.deterministic(5),
                UniformQuantizer.Scale.PER_LAYER, LAYOUT), QuantizedCodec.FORMAT, QuantizedCodec.VERSION,
                CodecChainSpec.parse("quantize(5, per-layer)")));
        for (String magnitude : new String[] {"", "magnitude(0.5) > "}) {
            for (String q : new String[] {"", "quantize(8) > ", "quantize(4, per-layer) > ",
                "quantize(2, stochastic, seed=3) > ", "quantize(1) > ", "quantize(16) > ", "pow2 > "}) {
                for (String body : new String[] {"dense", "sparse"}) {
                    for (String deflate : new String[] {"", " > deflate"}) {
                        CodecChainSpec spec = CodecChainSpec.parse(magnitude + q + body + deflate);
                        out.add(new Entry("chain[" + spec.canonical() + "]", () -> new CodecChain(spec, LAYOUT),
                                CodecChain.FORMAT, CodecChain.VERSION, spec));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The entry input byte {@code b} selects. */
    static Entry pick(byte b) {
        return ALL.get(Byte.toUnsignedInt(b) % ALL.size());
    }
}
