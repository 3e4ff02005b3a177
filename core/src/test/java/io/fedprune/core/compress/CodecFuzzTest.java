package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Coverage-guided fuzz targets (Jazzer) for every codec in this package: decoding arbitrary bytes
 * must give a model of the receiver's length or a {@link PayloadFormatException}, never another
 * exception, a hang or an out-of-memory error; encoding a vector the fuzzer builds and decoding it
 * must give it back within the stages' documented error.
 *
 * <p>In the normal build these run in regression mode over the seeds and past findings under
 * {@code src/test/resources/io/fedprune/core/compress/CodecFuzzTestInputs/<target>/}; fuzzing one
 * target for longer is {@code scripts/fuzz.sh codec-decode 600} (docs/SECURITY.md).
 *
 * <p>A fuzzer almost never forges a CRC32C, so each input says how its bytes are presented:
 * as they are, resealed (any header, correct checksum), or framed (the exact header this codec
 * accepts, then the fuzzed body, sealed): the last reaches every body decoder.
 */
class CodecFuzzTest {
    /** Input byte 0 picks a codec ({@link FuzzCodecs#pick}), byte 1 the presentation, the rest is the payload or body. */
    @FuzzTest
    void decode(byte[] data) {
        if (data.length < 2) {
            return;
        }
        FuzzCodecs.Entry entry = FuzzCodecs.pick(data[0]);
        byte[] payload = present(entry.header(), data[1], Arrays.copyOfRange(data, 2, data.length));
        decodeOrRefuse(entry.codec().get(), payload, FuzzCodecs.LAYOUT.totalLength());
    }

    /**
     * Byte 0 picks a codec, byte 1 bit 0 whether non-finite values stay (else they become 0), the
     * rest are little-endian float32 values of the vector (zero beyond the input). The decoded
     * vector must be within {@link RoundTripOracle}'s bound of the encoded one.
     */
    @FuzzTest
    void roundTrip(byte[] data) {
        if (data.length < 2) {
            return;
        }
        FuzzCodecs.Entry entry = FuzzCodecs.pick(data[0]);
        float[] x = new float[FuzzCodecs.LAYOUT.totalLength()];
        ByteBuffer in = ByteBuffer.wrap(data, 2, data.length - 2).order(ByteOrder.LITTLE_ENDIAN);
        boolean keepNonFinite = (data[1] & 1) == 1;
        for (int i = 0; i < x.length && in.remaining() >= 4; i++) {
            float v = in.getFloat();
            x[i] = keepNonFinite || Float.isFinite(v) ? v : 0f;
        }
        WireCodec codec = entry.codec().get();
        byte[] payload;
        try {
            payload = codec.encode(x.clone());
        } catch (IllegalArgumentException e) {
            // refusing a non-finite value is documented for quantizers; nothing else may be refused
            assertTrue(hasNonFinite(x), entry.name() + " refused a finite vector: " + e);
            return;
        }
        float[] y = decodeOrRefuse(codec, payload, x.length);
        if (y == null) {
            fail(entry.name() + " refused its own payload");
        }
        RoundTripOracle.check(entry, x, y);
    }

    /**
     * Split learning's payloads. Byte 0: bit 0 activations or gradients, bit 1 decode arbitrary
     * bytes or round-trip values; byte 1 the kept count (0..63), byte 2 the batch (0..31), byte 3
     * the classes (2..257), byte 4 the presentation or the value width (0 = float32, else 1..16 bits).
     */
    @FuzzTest
    void cutLayer(byte[] data) {
        if (data.length < 5) {
            return;
        }
        boolean activations = (data[0] & 1) == 0;
        int kept = data[1] & 63;
        int batch = data[2] & 31;
        int classes = 2 + (data[3] & 0xff);
        long step = 0x5EED_F00DL;
        byte[] rest = Arrays.copyOfRange(data, 5, data.length);
        if ((data[0] & 2) == 0) {
            byte[] header = new byte[PayloadHeader.SIZE];
            new PayloadHeader(activations ? CutLayerCodec.ACTIVATIONS : CutLayerCodec.GRADIENTS, CutLayerCodec.VERSION,
                    kept, step).write(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN));
            byte[] payload = present(header, data[4], rest);
            try {
                if (activations) {
                    CutLayerCodec.Activations a = CutLayerCodec.decodeActivations(payload, kept, batch, classes, step);
                    assertEquals(kept, a.kept().length);
                    assertEquals(batch, a.labels().length);
                    assertTrue(Arrays.stream(a.labels()).allMatch(l -> l >= 0 && l < classes), "labels in range");
                    assertTrue(allFinite(a.kept()), "finite activations");
                } else {
                    float[] g = CutLayerCodec.decodeGradients(payload, kept, step);
                    assertEquals(kept, g.length);
                    assertTrue(allFinite(g), "finite gradients");
                }
            } catch (PayloadFormatException expected) {
                // a clear refusal
            }
            return;
        }
        int bits = (data[4] & 0xff) % (UniformQuantizer.MAX_BITS + 1);
        CutLayerCodec codec = bits == 0 ? CutLayerCodec.float32() : CutLayerCodec.quantized(UniformQuantizer.deterministic(bits));
        ByteBuffer in = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[kept];
        for (int i = 0; i < kept && in.remaining() >= 4; i++) {
            float v = in.getFloat();
            values[i] = Float.isFinite(v) ? v : 0f;
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch && in.hasRemaining(); i++) {
            labels[i] = (in.get() & 0xff) % classes;
        }
        float[] back;
        if (activations) {
            CutLayerCodec.Activations a = CutLayerCodec.decodeActivations(
                    codec.encodeActivations(values, labels, classes, step), kept, batch, classes, step);
            assertTrue(Arrays.equals(labels, a.labels()), "labels survive exactly");
            back = a.kept();
        } else {
            back = CutLayerCodec.decodeGradients(codec.encodeGradients(values, step), kept, step);
        }
        RoundTripOracle.checkUniform(values, back, bits, new int[] {kept}, false, "cut layer");
    }

    /**
     * The payload for {@code body} as presentation byte {@code how} says: 0 the bytes as they are,
     * 1 the bytes with a correct checksum (their own header), 2 {@code header} + the bytes, sealed.
     */
    static byte[] present(byte[] header, byte how, byte[] body) {
        switch (Byte.toUnsignedInt(how) % 3) {
            case 0:
                return body;
            case 1:
                return body.length >= PayloadHeader.SIZE ? PayloadHeader.seal(body) : body;
            default:
                byte[] p = Arrays.copyOf(header, header.length + body.length);
                System.arraycopy(body, 0, p, header.length, body.length);
                return PayloadHeader.seal(p);
        }
    }

    /** The decoded vector (of {@code length} values), or null for a {@link PayloadFormatException}. */
    static float[] decodeOrRefuse(WireCodec codec, byte[] payload, int length) {
        float[] y;
        try {
            y = codec.decode(payload);
        } catch (PayloadFormatException refused) {
            return null;
        }
        assertEquals(length, y.length, codec.name() + " decoded a vector of the wrong length");
        return y;
    }

    private static boolean hasNonFinite(float[] x) {
        return !allFinite(x);
    }

    private static boolean allFinite(float[] x) {
        for (float v : x) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
