package io.fedprune.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * SplitFed V1's server copies against a reference of one plain {@link ServerSide} per client: each
 * copy trains only on its client's batches, the round's end makes the sample-weighted mean of the
 * copies that trained (computed here in doubles) the server part, the order in which clients'
 * batches arrive changes nothing, and a refused batch changes no copy.
 */
class ServerCopiesTest {
    private static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 6, 6, 4, 0.1);
    private static final CutPoint CUT = CutPoint.of(SPEC, 1);
    private static final OptimizerSpec SGD = OptimizerSpec.sgd(0.1);
    private static final SplitParameters START = SplitNetworks.initial(CUT, SGD, 1);
    private static final Dataset DATA = SyntheticDataset.gaussianClusters(64, 4, 1, 6, 6, 0.2, 5);
    private static final ActivationDropout DROPOUT = new ActivationDropout(0.25, 9);
    private static final ClientParts PARTS = new ClientParts(CUT, SGD, 1);

    private static ServerSide side() {
        ServerPart part = new ServerPart(CUT, SGD, 1);
        part.setParameters(START.server());
        return new ServerSide(part, CUT, DROPOUT, CutLayerCodec.float32());
    }

    /** Client {@code id}'s activation payloads for round 1: {@code steps} batches of {@code batch} of its own samples. */
    private static byte[][] payloads(int id, int steps, int batch) {
        ClientSide c = new ClientSide(PARTS, START.client(), DROPOUT, CutLayerCodec.float32(), DATA, id, null);
        byte[][] out = new byte[steps][];
        for (int s = 0; s < steps; s++) {
            int from = id * 32 + s * batch;
            out[s] = c.forward(1, s, IntStream.range(from, from + batch).toArray());
        }
        return out;
    }

    @Test
    void eachCopyTrainsOnItsClientOnlyAndTheRoundsEndAveragesThemBySamples() {
        byte[][] a = payloads(0, 3, 8); // 24 samples
        byte[][] b = payloads(1, 2, 4); // 8 samples
        float[] refA;
        float[] refB;
        try (ServerSide s = side()) {
            for (int i = 0; i < a.length; i++) {
                s.step(0, 1, i, 8, a[i]);
            }
            refA = s.parameters();
        }
        try (ServerSide s = side()) {
            for (int i = 0; i < b.length; i++) {
                s.step(1, 1, i, 4, b[i]);
            }
            refB = s.parameters();
        }
        float[] expected = new float[refA.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) ((24.0 * refA[i] + 8.0 * refB[i]) / 32.0);
        }
        // interleaved in two different orders: the copies do not see each other's batches
        float[] first;
        try (ServerCopies v1 = new ServerCopies(side())) {
            v1.step(0, 1, 0, 8, a[0]);
            v1.step(1, 1, 0, 4, b[0]);
            v1.step(0, 1, 1, 8, a[1]);
            v1.step(1, 1, 1, 4, b[1]);
            v1.step(0, 1, 2, 8, a[2]);
            assertEquals(2, v1.copies());
            assertArrayEquals(START.server(), v1.parameters(), "the server part changes only at the round's end");
            v1.endRound(1);
            assertEquals(0, v1.copies(), "between rounds only the average is held");
            first = v1.parameters();
        }
        assertArrayEquals(expected, first, 1e-6f);
        try (ServerCopies v1 = new ServerCopies(side())) {
            v1.step(1, 1, 0, 4, b[0]);
            v1.step(1, 1, 1, 4, b[1]);
            for (int i = 0; i < a.length; i++) {
                v1.step(0, 1, i, 8, a[i]);
            }
            v1.endRound(1);
            assertArrayEquals(first, v1.parameters(), "arrival order changes nothing");
        }
    }

    @Test
    void aRefusedBatchChangesNoCopyAndARoundWithoutBatchesKeepsThePart() {
        byte[][] a = payloads(0, 2, 8);
        float[] ref;
        try (ServerSide s = side()) {
            s.step(0, 1, 0, 8, a[0]);
            s.step(0, 1, 1, 8, a[1]);
            ref = s.parameters();
        }
        try (ServerCopies v1 = new ServerCopies(side())) {
            v1.endRound(0);
            assertArrayEquals(START.server(), v1.parameters(), "nobody trained: the part stays");
            v1.step(0, 1, 0, 8, a[0]);
            byte[] damaged = a[1].clone();
            damaged[damaged.length - 1] ^= 1;
            assertThrows(PayloadFormatException.class, () -> v1.step(0, 1, 1, 8, damaged));
            assertThrows(PayloadFormatException.class, () -> v1.step(3, 1, 0, 8, a[0]), "another client's step key");
            assertEquals(1, v1.copies(), "a refused first batch makes no copy");
            v1.step(0, 1, 1, 8, a[1]);
            v1.endRound(1);
            assertArrayEquals(ref, v1.parameters(), 1e-6f);
            assertTrue(v1.perClientCopies());
        }
    }
}
