package io.fedprune.core.split;

import io.fedprune.core.model.OptimizerSpec;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The client's layers {@code 0 .. cut-1}: a forward pass to the cut, and later a backward pass
 * from the server's gradient at the cut, with the optimizer step. The backward pass uses the
 * layer inputs of the last forward pass. Not thread-safe; reusable for any client by swapping
 * {@link #setParameters parameters} and optimizer state.
 */
public final class ClientPart extends PartNetwork {
    private final int inputSize;
    private int batch; // of the last forward pass, 0 = none

    public ClientPart(CutPoint cut, OptimizerSpec optimizer, long seed) {
        super(SplitNetworks.client(cut, optimizer, seed), cut);
        this.inputSize = cut.spec().inputSize();
    }

    /**
     * Training-mode forward pass of {@code batch} samples (row-major, {@code inputSize} values each)
     * to the cut; returns the activations, {@code activationSize} values per sample.
     */
    public float[] forward(float[] features, int batch) {
        if (batch < 1 || features.length != (long) batch * inputSize) {
            throw new IllegalArgumentException("a batch of " + batch + " samples needs " + (long) batch * inputSize
                    + " feature values, got " + features.length);
        }
        Finite.check(features, "features");
        net.setInput(batchArray(features, new long[] {batch, inputSize}));
        INDArray out = net.feedForward(true, false).get(net.getnLayers());
        this.batch = batch;
        return PartNetwork.flat(out);
    }

    /**
     * Back-propagates {@code activationGradient} (dL/d activations of the last forward pass, same
     * layout) and applies one optimizer step. Returns the raw parameter gradient.
     *
     * @throws IllegalArgumentException without a forward pass, on a wrong length or a non-finite
     *                                  value (the parameters are untouched)
     */
    public float[] backward(float[] activationGradient) {
        if (batch == 0) {
            throw new IllegalStateException("backward without a forward pass");
        }
        long expected = (long) batch * cut.activationSize();
        if (activationGradient.length != expected) {
            throw new IllegalArgumentException("activation gradient of " + activationGradient.length + " values, the "
                    + "forward pass of " + batch + " samples produced " + expected);
        }
        Finite.check(activationGradient, "activation gradients");
        INDArray eps = batchArray(activationGradient, cut.batchShape(batch));
        Pair<Gradient, INDArray> g = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        float[] raw = applyUpdate(g.getFirst(), batch);
        batch = 0;
        return raw;
    }
}
