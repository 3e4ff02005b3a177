package io.fedprune.examples.bench;

import io.fedprune.core.compress.CodecChain;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.PayloadHeader;
import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.compress.WireCodec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode cost of the wire formats against a plain copy of the same parameter array
 * ({@code copy}): the ratio copy-time / codec-time is what {@code fedprune jmh} reports, with the
 * time of the payload checksum alone ({@code checksum}) beside it.
 * Inputs have exactly the given density of non-zeros, at random positions (seeded).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@State(Scope.Benchmark)
public class CodecBenchmark {

    @Param({"1000000", "10000000"})
    public int size;

    @Param({"0.5", "0.1", "0.01"})
    public double density;

    /** dense: every value as float32; sparse: float32 values + auto index; q8-sparse: 8-bit values + auto index. */
    @Param({"dense", "sparse", "q8-sparse"})
    public String format;

    private float[] params;
    private float[] target;
    private byte[] encoded;
    private WireCodec codec;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(42);
        params = new float[size];
        target = new float[size];
        for (int i = 0; i < size; i++) {
            if (rng.nextDouble() < density) {
                params[i] = (float) rng.nextGaussian();
            }
        }
        codec = switch (format) {
            case "dense" -> new DenseFloat32Codec(size, 7L);
            case "sparse" -> new SparseFloat32Codec(size, 7L);
            case "q8-sparse" -> new CodecChain(CodecChainSpec.parse("quantize(8) > sparse"), size, 7L);
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
        encoded = codec.encode(params);
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(params, 0, target, 0, size);
        return target;
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(params);
    }

    @Benchmark
    public float[] decode() {
        return codec.decode(encoded);
    }

    /**
     * The CRC32C over one encoded payload: the cost the payload checksum adds to each encode and
     * to each decode (one pass over the finished array each).
     */
    @Benchmark
    public int checksum() {
        return PayloadHeader.checksum(encoded);
    }
}
