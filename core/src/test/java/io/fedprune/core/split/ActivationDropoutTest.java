package io.fedprune.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.prune.Mask;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivationDropoutTest {

    @Test
    void bothSidesDrawTheSameMaskFromTheStepAndNothingElse() {
        ActivationDropout client = new ActivationDropout(0.3, 42);
        ActivationDropout server = new ActivationDropout(0.3, 42); // a separate instance: nothing shared but settings
        Mask a = client.keepMask(5, 2, 17, 10_000);
        assertEquals(a, server.keepMask(5, 2, 17, 10_000));
        assertNotEquals(a, server.keepMask(5, 2, 18, 10_000));
        assertNotEquals(a, server.keepMask(6, 2, 17, 10_000));
        assertNotEquals(a, server.keepMask(5, 3, 17, 10_000));
        assertNotEquals(a, new ActivationDropout(0.3, 43).keepMask(5, 2, 17, 10_000));
        // Bernoulli(0.7) over 10k: mean 7000, sd ~46
        assertTrue(Math.abs(a.cardinality() - 7000) < 4 * 46, "kept " + a.cardinality());
        assertEquals(10_000, ActivationDropout.NONE.keepMask(1, 1, 1, 10_000).cardinality());
    }

    @Test
    void droppedActivationsGetZeroGradientAndKeptOnesTheServersScaledGradient() {
        ModelSpec spec = new ModelSpec(ModelArchitecture.LENET, 1, 8, 8, 3, 0.25);
        CutPoint cut = CutPoint.of(spec, 2);
        int batch = 4;
        Dataset data = SyntheticDataset.gaussianClusters(batch, 3, 1, 8, 8, 0.2, 3);
        ActivationDropout dropout = new ActivationDropout(0.5, 9);
        try (ClientPart client = new ClientPart(cut, OptimizerSpec.sgd(0.1), 1);
             ServerPart server = new ServerPart(cut, OptimizerSpec.sgd(0.1), 1);
             ServerPart reference = new ServerPart(cut, OptimizerSpec.sgd(0.1), 1)) {
            float[] acts = client.forward(data.features(), batch);
            Mask keep = dropout.keepMask(0, 0, 0, acts.length);
            float[] sent = ActivationDropout.kept(acts, keep);
            assertEquals(keep.cardinality(), sent.length);
            float[] input = dropout.serverInput(sent, keep);
            for (int i = 0; i < acts.length; i++) {
                assertEquals(keep.get(i) ? acts[i] * 2f : 0f, input[i], 1e-6f * Math.abs(acts[i]), "server input " + i);
            }
            ServerPart.Step step = server.step(input, data.labels());
            float[] down = dropout.keptGradient(step.activationGradient(), keep);
            float[] atCut = ActivationDropout.clientGradient(down, keep);
            // independent reference: the same server step on the explicitly masked and scaled activations
            float[] masked = acts.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] = keep.get(i) ? masked[i] * 2f : 0f;
            }
            float[] refEps = reference.step(masked, data.labels()).activationGradient();
            for (int i = 0; i < acts.length; i++) {
                float expected = keep.get(i) ? 2f * refEps[i] : 0f;
                assertEquals(expected, atCut[i], 1e-5f * Math.max(1, Math.abs(expected)), "gradient at " + i);
            }
            float[] before = client.parameters();
            client.backward(atCut);
            assertTrue(diff(before, client.parameters()) > 0);
        }
    }

    @Test
    void keptAndScatterRoundTripAndCheckSizes() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] v = new float[300];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        Mask keep = new ActivationDropout(0.4, 1).keepMask(0, 0, 0, v.length);
        float[] back = ActivationDropout.clientGradient(ActivationDropout.kept(v, keep), keep);
        for (int i = 0; i < v.length; i++) {
            assertEquals(keep.get(i) ? v[i] : 0f, back[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> ActivationDropout.kept(new float[299], keep));
        assertThrows(IllegalArgumentException.class, () -> ActivationDropout.clientGradient(new float[3], keep));
        assertThrows(IllegalArgumentException.class, () -> new ActivationDropout(1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActivationDropout(Double.NaN, 0));
        assertArrayEquals(v, ActivationDropout.kept(v, Mask.all(v.length)));
    }

    private static double diff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
