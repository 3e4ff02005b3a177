package io.fedprune.core.compress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed corpus of {@link CodecFuzzTest} (real payloads of every codec, framed as its
 * targets read them) into the test resources, where Jazzer runs them in regression mode and starts
 * fuzzing from them. Does nothing unless {@code -Dfedprune.fuzz.write-seeds=true}
 * ({@code scripts/fuzz.sh seeds}); the files are committed.
 */
class CodecFuzzSeeds {
    private static final Path DIR = Path.of("src/test/resources/io/fedprune/core/compress/CodecFuzzTestInputs");

    @Test
    @EnabledIfSystemProperty(named = "fedprune.fuzz.write-seeds", matches = "true")
    void write() throws IOException {
        int w = FuzzCodecs.LAYOUT.totalLength();
        for (int e = 0; e < FuzzCodecs.ALL.size(); e++) {
            FuzzCodecs.Entry entry = FuzzCodecs.ALL.get(e);
            for (double density : new double[] {1.0, 0.05}) {
                float[] x = vector(w, density, 17 * e + (long) (density * 100));
                byte[] payload = entry.codec().get().encode(x);
                byte[] body = Arrays.copyOfRange(payload, PayloadHeader.SIZE, payload.length);
                String name = "seed-" + e + "-" + (density == 1.0 ? "dense" : "sparse");
                write("decode", name, concat(new byte[] {(byte) e, 2}, body));
                if (density == 1.0) {
                    write("decode", name + "-resealed", concat(new byte[] {(byte) e, 1}, payload));
                }
                ByteBuffer floats = ByteBuffer.allocate(4 * w).order(ByteOrder.LITTLE_ENDIAN);
                floats.asFloatBuffer().put(x);
                write("roundTrip", name, concat(new byte[] {(byte) e, 0}, floats.array()));
            }
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (int bits : new int[] {0, 1, 4, 8, 16}) {
            CutLayerCodec codec = bits == 0 ? CutLayerCodec.float32() : CutLayerCodec.quantized(UniformQuantizer.deterministic(bits));
            int kept = 40;
            int batch = 12;
            int classes = 10;
            float[] values = new float[kept];
            for (int i = 0; i < kept; i++) {
                values[i] = (float) rng.nextGaussian();
            }
            int[] labels = rng.ints(batch, 0, classes).toArray();
            long step = 0x5EED_F00DL;
            byte[] act = codec.encodeActivations(values, labels, classes, step);
            byte[] grad = codec.encodeGradients(values, step);
            write("cutLayer", "seed-activations-" + bits, concat(new byte[] {0, (byte) kept, (byte) batch, (byte) (classes - 2), 2},
                    Arrays.copyOfRange(act, PayloadHeader.SIZE, act.length)));
            write("cutLayer", "seed-gradients-" + bits, concat(new byte[] {1, (byte) kept, (byte) batch, (byte) (classes - 2), 2},
                    Arrays.copyOfRange(grad, PayloadHeader.SIZE, grad.length)));
            ByteBuffer floats = ByteBuffer.allocate(4 * kept + batch).order(ByteOrder.LITTLE_ENDIAN);
            floats.asFloatBuffer().put(values);
            floats.position(4 * kept);
            for (int l : labels) {
                floats.put((byte) l);
            }
            write("cutLayer", "seed-roundtrip-" + bits, concat(new byte[] {2, (byte) kept, (byte) batch, (byte) (classes - 2),
                (byte) bits}, floats.array()));
        }
    }

    private static float[] vector(int w, double density, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        for (int i = 0; i < w; i++) {
            if (rng.nextDouble() < density) {
                x[i] = (float) (rng.nextGaussian() * 0.1);
            }
        }
        return x;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void write(String target, String name, byte[] bytes) throws IOException {
        Path dir = DIR.resolve(target);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
