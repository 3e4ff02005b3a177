package io.fedprune.core.split;

import io.fedprune.core.model.OptimizerSpec;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The server's layers {@code cut .. n-1}: from a batch of cut activations and labels, one
 * forward and backward pass, one optimizer step, and the gradient w.r.t. the activations to send
 * back. Not thread-safe.
 */
public final class ServerPart extends PartNetwork {
    private final int numClasses;

    /** What one step produced. @param loss the batch's mean loss before the step */
    public record Step(float[] activationGradient, float[] parameterGradient, double loss) {
    }

    public ServerPart(CutPoint cut, OptimizerSpec optimizer, long seed) {
        super(SplitNetworks.server(cut, optimizer, seed), cut);
        this.numClasses = cut.spec().numClasses();
    }

    /**
     * Trains on one batch. Everything is checked before the network is touched, so a bad batch
     * leaves the part as it was.
     *
     * @throws IllegalArgumentException on a length that is not {@code labels.length x activationSize},
     *                                  a label out of range, or a non-finite activation or gradient
     */
    public Step step(float[] activations, int[] labels) {
        int batch = labels.length;
        if (batch < 1 || activations.length != (long) batch * cut.activationSize()) {
            throw new IllegalArgumentException(activations.length + " activation values for " + batch + " labels, expected "
                    + (long) batch * cut.activationSize() + " (" + cut.activationSize() + " per sample)");
        }
        for (int i = 0; i < batch; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is out of range 0.." + (numClasses - 1));
            }
        }
        Finite.check(activations, "activations");
        INDArray x = batchArray(activations, cut.batchShape(batch));
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, numClasses);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, labels[i], 1f);
        }
        Pair<Gradient, INDArray> g = net.calculateGradients(x, y, null, null);
        float[] eps = PartNetwork.flat(g.getSecond());
        Finite.check(eps, "activation gradients");
        // calculateGradients leaves the score unset; the output layer still holds this batch's
        // input and labels, so its mean loss costs no second forward pass.
        double loss = ((IOutputLayer) net.getOutputLayer()).computeScore(0, true, LayerWorkspaceMgr.noWorkspaces());
        float[] raw = applyUpdate(g.getFirst(), batch);
        return new Step(eps, raw, loss);
    }
}
