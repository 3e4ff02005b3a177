package io.fedprune.core.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The split model against the unsplit network as the reference: activations at the cut, parameter
 * gradients of both parts, the loss, and the parameters after optimizer steps. Where the server
 * part is only the output layer, the gradient at the cut is also checked against softmax
 * cross-entropy's closed form computed here in doubles.
 */
class SplitEquivalenceTest {
    private static final int BATCH = 4;
    private static final int CLASSES = 3;
    private static final long SEED = 7;

    private static ModelSpec spec(ModelArchitecture a) {
        // tiny: 1x8x8 input and a quarter of every hidden width, so a CNN step takes milliseconds
        return new ModelSpec(a, 1, 8, 8, CLASSES, 0.25);
    }

    @ParameterizedTest(name = "{0} cut at {1}")
    @CsvSource({"MLP, 1", "LENET, 1", "LENET, 2", "LENET, 4", "LENET, 5", "VGG_SMALL, 2", "VGG_SMALL, 3", "VGG_SMALL, 7"})
    void oneSgdStepEqualsTheUnsplitNetwork(ModelArchitecture arch, int cutAt) {
        compare(arch, cutAt, OptimizerSpec.sgd(0.1), 1);
    }

    @Test
    void adamOverThreeStepsEqualsTheUnsplitNetwork() {
        compare(ModelArchitecture.LENET, 2, OptimizerSpec.adam(0.01), 3);
    }

    private static void compare(ModelArchitecture arch, int cutAt, OptimizerSpec opt, int steps) {
        ModelSpec spec = spec(arch);
        CutPoint cut = CutPoint.of(spec, cutAt);
        Dataset data = SyntheticDataset.gaussianClusters(BATCH, CLASSES, 1, 8, 8, 0.2, 3);
        MultiLayerNetwork full = ModelFactory.build(spec, opt, SEED);
        INDArray x = Nd4j.createFromArray(data.features()).reshape(BATCH, spec.inputSize());
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            y.putScalar(i, data.label(i), 1f);
        }
        try (ClientPart client = new ClientPart(cut, opt, 99); ServerPart server = new ServerPart(cut, opt, 98)) {
            // different seeds on purpose: the parts must get their values from the unsplit network
            SplitParameters start = SplitParameters.of(full.params().toFloatVector(), client.parameterCount());
            client.setParameters(start.client());
            server.setParameters(start.server());
            assertEquals(full.numParams(), client.parameterCount() + server.parameterCount());
            for (int s = 0; s < steps; s++) {
                List<INDArray> ffw = full.feedForward(x, true);
                float[] refActs = PartNetwork.flat(ffw.get(cutAt));
                full.setInput(x);
                full.setLabels(y);
                full.computeGradientAndScore();
                float[] refGrad = full.gradient().gradient().dup().toFloatVector();
                double refLoss = full.score();

                float[] acts = client.forward(data.features(), BATCH);
                assertArrayEquals(refActs, acts, tol(refActs), "activations at the cut, step " + s);
                ServerPart.Step step = server.step(acts, data.labels());
                assertEquals(refLoss, step.loss(), 1e-5, "loss, step " + s);
                if (cutAt == CutPoint.layerCount(spec) - 1 && s == 0) {
                    float[] closed = outputLayerInputGradient(acts, data.labels(), start.server(), cut.activationSize());
                    assertArrayEquals(closed, step.activationGradient(), tol(closed), "gradient at the cut");
                }
                float[] clientGrad = client.backward(step.activationGradient());
                float[] refClient = Arrays.copyOfRange(refGrad, 0, client.parameterCount());
                float[] refServer = Arrays.copyOfRange(refGrad, client.parameterCount(), refGrad.length);
                assertArrayEquals(refClient, clientGrad, tol(refClient), "client gradient, step " + s);
                assertArrayEquals(refServer, step.parameterGradient(), tol(refServer), "server gradient, step " + s);

                full.fit(new DataSet(x, y));
                float[] refAfter = full.params().toFloatVector();
                float[] after = new SplitParameters(client.parameters(), server.parameters()).joined();
                assertArrayEquals(refAfter, after, tol(refAfter), "parameters after step " + s);
                assertTrue(maxAbsDiff(refAfter, start.joined()) > 0, "the step moved the parameters");
            }
        }
        full.close();
    }

    /** dL/dx of softmax(xW + b) with summed NLL: (p - y) W^T, in doubles. W is nIn x nOut (DL4J's layout, 'f' order). */
    private static float[] outputLayerInputGradient(float[] x, int[] labels, float[] wb, int nIn) {
        int nOut = CLASSES;
        float[] out = new float[x.length];
        for (int i = 0; i < labels.length; i++) {
            double[] z = new double[nOut];
            for (int o = 0; o < nOut; o++) {
                z[o] = wb[nIn * nOut + o];
                for (int k = 0; k < nIn; k++) {
                    z[o] += x[i * nIn + k] * wb[o * nIn + k];
                }
            }
            double max = Arrays.stream(z).max().orElseThrow();
            double sum = 0;
            for (int o = 0; o < nOut; o++) {
                z[o] = Math.exp(z[o] - max);
                sum += z[o];
            }
            for (int k = 0; k < nIn; k++) {
                double g = 0;
                for (int o = 0; o < nOut; o++) {
                    g += (z[o] / sum - (labels[i] == o ? 1 : 0)) * wb[o * nIn + k];
                }
                out[i * nIn + k] = (float) g;
            }
        }
        return out;
    }

    @Test
    void aCutOutOfRangeIsRefusedNamingTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CutPoint.of(spec(ModelArchitecture.MLP), 2));
        assertEquals("cut layer 2 is out of range for MLP (2 layers): expected 1..1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CutPoint.of(spec(ModelArchitecture.LENET), 0));
        assertThrows(IllegalArgumentException.class, () -> CutPoint.of(spec(ModelArchitecture.VGG_SMALL), 8));
    }

    @Test
    void badBatchesLeaveTheServerPartUntouched() {
        CutPoint cut = CutPoint.of(spec(ModelArchitecture.MLP), 1);
        try (ServerPart server = new ServerPart(cut, OptimizerSpec.sgd(0.1), 1)) {
            float[] before = server.parameters();
            int a = cut.activationSize();
            float[] nan = new float[2 * a];
            nan[3] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> server.step(nan, new int[] {0, 1}));
            assertThrows(IllegalArgumentException.class, () -> server.step(new float[2 * a - 1], new int[] {0, 1}));
            assertThrows(IllegalArgumentException.class, () -> server.step(new float[2 * a], new int[] {0, CLASSES}));
            float[] huge = new float[2 * a];
            Arrays.fill(huge, 3e38f); // finite, but the gradient overflows
            assertThrows(IllegalArgumentException.class, () -> server.step(huge, new int[] {0, 1}));
            assertArrayEquals(before, server.parameters());
        }
    }

    @Test
    void activationShapesAndComputeShareFollowTheCut() {
        ModelSpec lenet = spec(ModelArchitecture.LENET);
        assertArrayEquals(new long[] {5, 8, 8}, CutPoint.of(lenet, 1).activationShape());
        assertArrayEquals(new long[] {5, 4, 4}, CutPoint.of(lenet, 2).activationShape());
        assertArrayEquals(new long[] {125}, CutPoint.of(lenet, 5).activationShape());
        double shallow = CutPoint.of(lenet, 1).clientComputeFraction();
        double deep = CutPoint.of(lenet, 5).clientComputeFraction();
        assertTrue(shallow > 0 && shallow < deep && deep < 1, shallow + " < " + deep);
    }

    private static float tol(float[] ref) {
        float m = 0;
        for (float v : ref) {
            m = Math.max(m, Math.abs(v));
        }
        return 1e-5f * Math.max(1f, m);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
