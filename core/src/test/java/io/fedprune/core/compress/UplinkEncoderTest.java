package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Model vs update payloads and error feedback that is only committed for uploads really sent. */
class UplinkEncoderTest {
    static final int N = 8;
    final WireCodec dense = new DenseFloat32Codec(N, 5);
    // keeps the 2 largest of 8 entries
    final WireCodec topQuarter = new CodecChain(CodecChainSpec.parse("magnitude(0.75) > sparse"), N, 5);

    static final float[] START = {1, 1, 1, 1, 1, 1, 1, 1};
    static final float[] TRAINED = {1.5f, 0.9f, 1, 4, 1, 1.2f, -2, 1};

    @Test
    void modelPayloadSendsTheTrainedModelAndUpdatePayloadTheDifference() {
        UplinkEncoder model = UplinkEncoder.modelOnly(dense);
        assertArrayEquals(TRAINED, dense.decode(model.encode(START, TRAINED).bytes()));

        UplinkEncoder update = new UplinkEncoder(dense, UplinkPayload.UPDATE, false);
        float[] delta = dense.decode(update.encode(START, TRAINED).bytes());
        assertArrayEquals(new float[] {0.5f, -0.1f, 0, 3, 0, 0.2f, -3, 0}, delta, 1e-6f);
        assertArrayEquals(TRAINED, UplinkPayload.UPDATE.model(START, delta), 1e-6f);
        assertArrayEquals(delta, UplinkPayload.MODEL.model(START, delta));
    }

    @Test
    void updateMagnitudePruningKeepsTheLargestChangesNotTheLargestWeights() {
        float[] start = {10, 11, 12, 13, 0, 0, 0, 0};
        float[] trained = {10, 11, 12, 13, 1, 2, 0, 0};
        UplinkEncoder update = new UplinkEncoder(topQuarter, UplinkPayload.UPDATE, false);
        float[] rebuilt = UplinkPayload.UPDATE.model(start, topQuarter.decode(update.encode(start, trained).bytes()));
        assertArrayEquals(trained, rebuilt);
        UplinkEncoder model = UplinkEncoder.modelOnly(topQuarter);
        // as whole weights, the two largest unchanged ones are kept and both changes are lost
        assertArrayEquals(new float[] {0, 0, 12, 13, 0, 0, 0, 0}, topQuarter.decode(model.encode(start, trained).bytes()));
    }

    @Test
    void residualChangesOnlyWhenAnUploadIsCommitted() {
        UplinkEncoder ef = new UplinkEncoder(topQuarter, UplinkPayload.UPDATE, true);
        UplinkEncoder.Encoded first = ef.encode(START, TRAINED);
        assertArrayEquals(new float[N], ef.residual(), "encoding alone leaves the residual at zero");
        UplinkEncoder.Encoded superseded = ef.encode(START, TRAINED);
        assertArrayEquals(first.bytes(), superseded.bytes(), "an uncommitted round left no residual behind");
        ef.commit(first);
        // sent: 3 and -3; dropped: 0.5, -0.1, 0.2
        assertArrayEquals(new float[] {0.5f, -0.1f, 0, 0, 0, 0.2f, 0, 0}, ef.residual(), 1e-6f);
        UplinkEncoder.Encoded next = ef.encode(START, START); // nothing new: the residual is what goes out
        float[] sent = topQuarter.decode(next.bytes());
        assertArrayEquals(new float[] {0.5f, 0, 0, 0, 0, 0.2f, 0, 0}, sent, 1e-6f);
        ef.commit(next);
        assertArrayEquals(new float[] {0, -0.1f, 0, 0, 0, 0, 0, 0}, ef.residual(), 1e-6f);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        UplinkEncoder update = new UplinkEncoder(dense, UplinkPayload.UPDATE, false);
        assertThrows(PayloadFormatException.class, () -> update.encode(new float[3], TRAINED));
        assertThrows(PayloadFormatException.class, () -> UplinkPayload.UPDATE.model(new float[3], TRAINED));
        assertThrows(IllegalArgumentException.class, () -> UplinkPayload.parse("weights"));
        assertEquals(UplinkPayload.UPDATE, UplinkPayload.parse(" Update "));
    }

    @Test
    void perTaskStochasticCodecsGiveTheSameBytesInAnyEncodingOrder() {
        CodecChainSpec spec = CodecChainSpec.parse("quantize(2, stochastic) > dense");
        java.util.function.LongFunction<WireCodec> perTask = t -> new CodecChain(spec.withSeed(1000 + t), N, 5);
        UplinkEncoder forward = new UplinkEncoder(perTask, UplinkPayload.MODEL, false);
        UplinkEncoder backward = new UplinkEncoder(perTask, UplinkPayload.MODEL, false);
        byte[] f1 = forward.encode(1, START, TRAINED).bytes();
        byte[] f2 = forward.encode(2, START, TRAINED).bytes();
        byte[] b2 = backward.encode(2, START, TRAINED).bytes();
        byte[] b1 = backward.encode(1, START, TRAINED).bytes();
        assertArrayEquals(f1, b1);
        assertArrayEquals(f2, b2);
        // a shared stateful codec would depend on the order
        WireCodec shared = new CodecChain(spec.withSeed(1000), N, 5);
        byte[] first = shared.encode(TRAINED);
        boolean changes = false;
        for (int i = 0; i < 20 && !changes; i++) {
            changes = !java.util.Arrays.equals(first, shared.encode(TRAINED));
        }
        assertTrue(changes, "stochastic rounding draws new random numbers on each call");
    }

    @Test
    void aForgingUplinkEncodesTheForgedValuesForEitherPayloadAndLeavesTheHonestOneAlone() {
        UplinkEncoder honest = new UplinkEncoder(dense, UplinkPayload.UPDATE, false);
        long[] tasks = new long[1];
        UplinkEncoder forging = honest.forging((task, start, trained) -> {
            tasks[0] = task;
            float[] out = new float[trained.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = 2 * start[j] - trained[j]; // the update reversed
            }
            return out;
        });
        assertTrue(forging.forges());
        assertTrue(!honest.forges());
        float[] delta = dense.decode(forging.encode(7, START, TRAINED).bytes());
        assertEquals(7, tasks[0], "the forgery is told the task");
        assertArrayEquals(new float[] {-0.5f, 0.1f, 0, -3, 0, -0.2f, 3, 0}, delta, 1e-6f);
        assertArrayEquals(new float[] {0.5f, -0.1f, 0, 3, 0, 0.2f, -3, 0},
                dense.decode(honest.encode(7, START, TRAINED).bytes()), 1e-6f);
        UplinkEncoder model = UplinkEncoder.modelOnly(dense).forging((task, start, trained) -> start.clone());
        assertArrayEquals(START, dense.decode(model.encode(START, TRAINED).bytes()));
    }
}
