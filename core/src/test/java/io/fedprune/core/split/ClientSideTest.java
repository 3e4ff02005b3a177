package io.fedprune.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.Mask;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A client side keeps floats and borrows the thread's network: clients interleaved on one network
 * get exactly what each gets alone (also under Adam, whose state and step count travel with the
 * client). Client-side pruning keeps the largest 1 - rho_f of each weight tensor (checked against
 * a sort written here), biases dense, pruned weights exactly zero through steps and received
 * parts, and recomputes the mask only on refresh rounds.
 */
class ClientSideTest {
    private static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.LENET, 1, 8, 8, 3, 0.25);
    private static final CutPoint CUT = CutPoint.of(SPEC, 3); // conv, pool, conv: two weight tensors
    private static final Dataset DATA = SyntheticDataset.gaussianClusters(32, 3, 1, 8, 8, 0.2, 4);
    private static final ActivationDropout DROPOUT = new ActivationDropout(0.3, 11);

    private static ClientSide side(ClientParts parts, int id, ClientPruning pruning) {
        float[] start = SplitNetworks.initial(CUT, OptimizerSpec.adam(0.01), 1).client();
        return new ClientSide(parts, start, DROPOUT, CutLayerCodec.float32(), DATA, id, pruning);
    }

    /** A server that answers every step with the gradient of 0.5 * sum(kept activations^2): the kept values. */
    private static byte[] gradients(int id, long round, long step, byte[] up, int batch) {
        Mask keep = DROPOUT.keepMask(id, round, step, batch * CUT.activationSize());
        CutLayerCodec.Activations a = CutLayerCodec.decodeActivations(up, keep.cardinality(), batch, 3,
                StepKey.of(DROPOUT.seed(), id, round, step));
        return CutLayerCodec.float32().encodeGradients(a.kept(), StepKey.of(DROPOUT.seed(), id, round, step));
    }

    private static int[] batch(int id, int step) {
        return IntStream.range(id * 16 + step * 4, id * 16 + step * 4 + 4).toArray();
    }

    @Test
    void clientsInterleavedOnOneNetworkGetWhatEachGetsAlone() {
        float[][] alone = new float[2][];
        for (int id = 0; id < 2; id++) {
            try (ClientParts parts = new ClientParts(CUT, OptimizerSpec.adam(0.01), 1)) {
                ClientSide c = side(parts, id, null);
                for (int s = 0; s < 3; s++) {
                    c.backward(1, s, gradients(id, 1, s, c.forward(1, s, batch(id, s)), 4));
                }
                alone[id] = c.parameters();
            }
        }
        try (ClientParts parts = new ClientParts(CUT, OptimizerSpec.adam(0.01), 1)) {
            ClientSide a = side(parts, 0, null);
            ClientSide b = side(parts, 1, null);
            for (int s = 0; s < 3; s++) {
                byte[] upA = a.forward(1, s, batch(0, s));
                byte[] upB = b.forward(1, s, batch(1, s)); // b's pass overwrites the network a's backward needs
                a.backward(1, s, gradients(0, 1, s, upA, 4));
                b.backward(1, s, gradients(1, 1, s, upB, 4));
            }
            assertArrayEquals(alone[0], a.parameters());
            assertArrayEquals(alone[1], b.parameters());
            assertNotEquals(Arrays.toString(alone[0]), Arrays.toString(alone[1]));
            assertEquals(1, parts.built(), "one thread, one network, however many clients");
            assertThrows(IllegalStateException.class, () -> a.backward(1, 2, new byte[0]), "a step answered twice");
        }
    }

    @Test
    void pruningKeepsTheLargestWeightsOfEachTensorZeroThroughStepsAndRefreshesOnSchedule() {
        try (ClientParts parts = new ClientParts(CUT, OptimizerSpec.adam(0.01), 1)) {
            ParameterLayout layout = parts.layout();
            ClientPruning pruning = new ClientPruning(layout, 0.35, 2);
            ClientSide c = side(parts, 0, pruning);
            float[] dense = c.parameters();
            assertNull(c.mask(), "no mask before the first round");
            assertEquals(0.65, c.computeFactor(), 1e-12);
            c.beginRound(1);
            Mask mask = c.mask();
            float[] pruned = c.parameters();
            for (ParameterSegment seg : layout.segments()) {
                float[] values = Arrays.copyOfRange(dense, seg.offset(), seg.end());
                int zeros = 0;
                for (int i = seg.offset(); i < seg.end(); i++) {
                    zeros += mask.get(i) ? 0 : 1;
                }
                if (seg.kind() == SegmentKind.BIAS) {
                    assertEquals(0, zeros, "biases are not pruned");
                    continue;
                }
                assertEquals(Math.round(0.35 * values.length), zeros, seg + ": the same share in every tensor");
                float[] mags = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    mags[i] = Math.abs(values[i]);
                }
                Arrays.sort(mags);
                float threshold = mags[zeros - 1]; // the largest pruned magnitude
                for (int i = seg.offset(); i < seg.end(); i++) {
                    if (mask.get(i)) {
                        assertEquals(dense[i], pruned[i]);
                        assertEquals(true, Math.abs(dense[i]) >= threshold, "kept weights are the largest");
                    } else {
                        assertEquals(0f, pruned[i]);
                        assertEquals(true, Math.abs(dense[i]) <= threshold);
                    }
                }
            }
            for (int s = 0; s < 3; s++) { // Adam would move pruned weights: they must stay zero
                c.backward(1, s, gradients(0, 1, s, c.forward(1, s, batch(0, s)), 4));
            }
            float[] trained = c.parameters();
            assertNotEquals(Arrays.toString(pruned), Arrays.toString(trained), "the kept weights trained");
            for (int i = 0; i < trained.length; i++) {
                if (!mask.get(i)) {
                    assertEquals(0f, trained[i], "pruned weight " + i + " stays zero");
                }
            }
            c.setParameters(dense); // e.g. a dense average from the fed server
            c.beginRound(2); // not a refresh round (every 2: rounds 1, 3, 5, ...)
            assertSame(mask, c.mask());
            for (int i = 0; i < dense.length; i++) {
                assertEquals(mask.get(i) ? dense[i] : 0f, c.parameters()[i], "a received part is masked");
            }
            float[] before = c.parameters();
            c.beginRound(3);
            assertEquals(pruning.select(before), c.mask(), "round 3 recomputes the mask from the weights then");
        }
    }
}
