package io.fedprune.core.compress;

import static io.fedprune.core.compress.CompressFixtures.le;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Lengths a sender declares (and the receiver's own size for a huge model) are checked against the
 * bytes that arrived before anything is allocated for them: a 2 GB claim in a few bytes is a
 * {@link PayloadFormatException}, never an allocation (an allocation of that size would fail the
 * test with an OutOfMemoryError, or show in the heap). Kryo's lengths: KryoSerializerTest.
 */
class BoundedReadsTest {
    private static final long FP = 0x1234_5678_9abc_def0L;
    private static final int HUGE = Integer.MAX_VALUE - 8; // the largest array a JVM allows

    @Test
    void aDeflatedBodyClaimingTwoGigabytesIsRefusedBeforeInflating() {
        CodecChain chain = new CodecChain(CodecChainSpec.parse("dense > deflate"), HUGE / 4, FP);
        byte[] spec = chain.spec().canonical().getBytes(StandardCharsets.UTF_8);
        byte[] z = DeflateStage.compress(new byte[64]);
        ByteBuffer p = ByteBuffer.allocate(PayloadHeader.SIZE + 2 + spec.length + 4 + z.length).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(CodecChain.FORMAT, CodecChain.VERSION, HUGE / 4, FP).write(p);
        p.putShort((short) spec.length).put(spec).putInt(2_000_000_000).put(z); // within the model's cap
        refusedWithoutAllocating(() -> chain.decode(PayloadHeader.seal(p.array())), "impossible");
    }

    @Test
    void aSparseCountOfTwoBillionInAFewBytesIsRefused() {
        SparseFloat32Codec codec = new SparseFloat32Codec(HUGE, FP);
        ByteBuffer p = ByteBuffer.allocate(PayloadHeader.SIZE + 5 + 4).order(ByteOrder.LITTLE_ENDIAN);
        new PayloadHeader(SparseFloat32Codec.FORMAT, SparseFloat32Codec.VERSION, HUGE, FP).write(p);
        p.put((byte) 1).putInt(HUGE).putInt(0);
        refusedWithoutAllocating(() -> codec.decode(PayloadHeader.seal(p.array())), "truncated");
    }

    @Test
    void aHugeModelsHeaderWithoutItsBodyIsRefusedForEveryFormat() {
        int w = 1 << 29; // 2 GiB of float32
        byte[] dense = new byte[PayloadHeader.SIZE];
        new PayloadHeader(DenseFloat32Codec.FORMAT, DenseFloat32Codec.VERSION, w, FP).write(le(dense));
        refusedWithoutAllocating(() -> new DenseFloat32Codec(w, FP).decode(PayloadHeader.seal(dense)), "expected");
        byte[] quantized = new byte[PayloadHeader.SIZE + 3];
        ByteBuffer q = le(quantized);
        new PayloadHeader(QuantizedCodec.FORMAT, QuantizedCodec.VERSION, w, FP).write(q);
        q.put((byte) 8).put((byte) 0).put((byte) 0);
        refusedWithoutAllocating(() -> new QuantizedCodec(UniformQuantizer.deterministic(8), w, FP)
                .decode(PayloadHeader.seal(quantized)), "truncated");
        byte[] gradients = new byte[PayloadHeader.SIZE + 1];
        new PayloadHeader(CutLayerCodec.GRADIENTS, CutLayerCodec.VERSION, w, FP).write(le(gradients));
        refusedWithoutAllocating(() -> CutLayerCodec.decodeGradients(PayloadHeader.seal(gradients), w, FP), "truncated");
    }

    private static void refusedWithoutAllocating(Supplier<?> decode, String why) {
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        PayloadFormatException e = assertThrows(PayloadFormatException.class, decode::get);
        assertTrue(e.getMessage().contains(why), e.getMessage());
        long grown = rt.totalMemory() - rt.freeMemory() - before;
        assertTrue(grown < 256L << 20, "the refusal allocated " + (grown >> 20) + " MB");
    }
}
