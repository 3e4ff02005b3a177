package io.fedprune.core.split;

import io.fedprune.core.model.ParameterLayout;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What both parts do with their DL4J network: swap parameters and optimizer state in and out
 * (one network serves any client, STACK.md), and apply one optimizer step by hand — split
 * training never calls {@code fit}, so the updater is run explicitly as {@code fit} would.
 */
abstract class PartNetwork implements AutoCloseable {
    final MultiLayerNetwork net;
    final CutPoint cut;
    private final int length;

    PartNetwork(MultiLayerNetwork net, CutPoint cut) {
        this.net = net;
        this.cut = cut;
        this.length = Math.toIntExact(net.numParams());
    }

    public int parameterCount() {
        return length;
    }

    /** The part's {@link ParameterLayout} fingerprint: its payloads are refused by any other part. */
    public long layoutFingerprint() {
        return ParameterLayout.of(net).fingerprint();
    }

    public float[] parameters() {
        float[] out = new float[length];
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        fb.position((int) flat.offset());
        fb.get(out);
        return out;
    }

    /** @throws IllegalArgumentException on a wrong length or a non-finite value (nothing is written) */
    public void setParameters(float[] params) {
        if (params.length != length) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has " + length + " parameters, got "
                    + params.length);
        }
        Finite.check(params, "parameters");
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        fb.position((int) flat.offset());
        fb.put(params);
    }

    /** The optimizer's state (empty for plain SGD), to carry a client's Adam or momentum across steps. */
    public float[] optimizerState() {
        INDArray state = stateView();
        return state == null ? new float[0] : state.dup().toFloatVector();
    }

    /** Restores {@link #optimizerState()}; an empty array resets the state to zero. */
    public void setOptimizerState(float[] state) {
        INDArray view = stateView();
        if (view == null) {
            if (state.length != 0) {
                throw new IllegalArgumentException("this optimizer has no state, got " + state.length + " values");
            }
            return;
        }
        if (state.length == 0) {
            view.assign(0);
            return;
        }
        if (state.length != view.length()) {
            throw new IllegalArgumentException("optimizer state of " + view.length() + " values, got " + state.length);
        }
        view.assign(Nd4j.createFromArray(state).reshape(view.shape()));
    }

    /** Optimizer steps taken (Adam's bias correction reads it): carried with the state when a network is lent. */
    public int iterationCount() {
        return net.getLayerWiseConfigurations().getIterationCount();
    }

    public void setIterationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("iteration count must be >= 0, got " + count);
        }
        net.getLayerWiseConfigurations().setIterationCount(count);
    }

    private INDArray stateView() {
        Updater u = net.getUpdater();
        return u instanceof BaseMultiLayerUpdater<?> b ? b.getStateViewArray() : null;
    }

    /**
     * Turns {@code gradient} into an update with the network's updater (learning rate, momentum,
     * Adam, division by the batch size) and subtracts it, as {@code fit} does. Returns a copy of
     * the raw gradient: {@code Gradient.gradient()} is a view the updater overwrites.
     */
    float[] applyUpdate(Gradient gradient, int batch) {
        INDArray flat = gradient.gradient();
        float[] raw = flat.dup().toFloatVector();
        Finite.check(raw, "parameter gradient");
        int iteration = net.getLayerWiseConfigurations().getIterationCount();
        net.getUpdater().update(net, gradient, iteration, net.getLayerWiseConfigurations().getEpochCount(), batch,
                LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(flat);
        net.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        return raw;
    }

    /** All values of {@code a} in row-major order (NCHW for convolution activations). */
    static float[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    INDArray batchArray(float[] flat, long[] shape) {
        return Nd4j.createFromArray(flat).reshape('c', shape);
    }

    @Override
    public void close() {
        net.close();
    }
}
