package io.fedprune.core.prune;

import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelFlops;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.model.ParameterLayout;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A width-scaled sub-model (HeteroFL, ALGORITHMS.md §8.3) and where each of its parameters lives
 * in the full model: every hidden layer keeps its first ceil(r·d) units or channels, so each
 * parameter tensor of the sub-model is the leading block of the full one (first outputs, first
 * inputs, whole kernels; the input features and the class outputs stay full). A dense layer fed
 * by a flattened convolution keeps the inputs of its first channels, which are the leading ones
 * because the flattening is channel-major.
 *
 * <p>The map is read off DL4J itself — the full network's parameters are set to their own flat
 * indices and the sub-network's parameter views are filled with the leading blocks — so it holds
 * for whatever memory order DL4J uses for a layer's tensors.
 */
public final class WidthSlice {
    private final ModelSpec full;
    private final ModelSpec sub;
    private final int fullLength;
    private final int[] toFull;
    private final ParameterLayout subLayout;
    private final double flopsFraction;

    private WidthSlice(ModelSpec full, ModelSpec sub, int fullLength, int[] toFull, ParameterLayout subLayout) {
        this.full = full;
        this.sub = sub;
        this.fullLength = fullLength;
        this.toFull = toFull;
        this.subLayout = subLayout;
        this.flopsFraction = ModelFlops.fraction(sub, full);
    }

    /** The sub-model of {@code full} at width {@code rate}; builds both networks once (tens of ms). */
    public static WidthSlice of(ModelSpec full, double rate) {
        if (full.widthRate() != 1.0) {
            throw new IllegalArgumentException("slice a full-width model, got width rate " + full.widthRate());
        }
        ModelSpec subSpec = full.withWidthRate(rate);
        OptimizerSpec sgd = OptimizerSpec.sgd(0.1);
        MultiLayerNetwork big = ModelFactory.build(full, sgd, 0);
        MultiLayerNetwork small = ModelFactory.build(subSpec, sgd, 0);
        try {
            int n = Math.toIntExact(big.numParams());
            if (n >= 1 << 24) {
                throw new IllegalArgumentException("models of 2^24 parameters or more need a wider index type");
            }
            // every full parameter holds its own flat index (exact in float below 2^24)
            big.setParams(Nd4j.arange(n).castTo(big.params().dataType()).reshape(1, n));
            for (int layer = 0; layer < big.getnLayers(); layer++) {
                Map<String, INDArray> bigTable = big.getLayer(layer).paramTable();
                Map<String, INDArray> smallTable = small.getLayer(layer).paramTable();
                for (Map.Entry<String, INDArray> e : smallTable.entrySet()) {
                    INDArray from = bigTable.get(e.getKey());
                    long[] shape = e.getValue().shape();
                    INDArrayIndex[] lead = new INDArrayIndex[shape.length];
                    for (int d = 0; d < shape.length; d++) {
                        lead[d] = NDArrayIndex.interval(0, shape[d]);
                    }
                    e.getValue().assign(from.get(lead));
                }
            }
            float[] indices = small.params().toFloatVector();
            int[] map = new int[indices.length];
            for (int i = 0; i < map.length; i++) {
                map[i] = (int) indices[i];
            }
            return new WidthSlice(full, subSpec, n, map, ParameterLayout.of(small));
        } finally {
            big.close();
            small.close();
        }
    }

    public ModelSpec fullSpec() {
        return full;
    }

    /** The spec of the sub-network a client of this width trains. */
    public ModelSpec subSpec() {
        return sub;
    }

    public ParameterLayout subLayout() {
        return subLayout;
    }

    /**
     * The sub-network's training compute as a fraction of the full network's ({@link ModelFlops}):
     * about the rate for the MLP, whose input and output widths stay full, and about its square for
     * the CNNs, whose inner layers narrow on both sides.
     */
    public double flopsFraction() {
        return flopsFraction;
    }

    /** Parameters of the sub-model. */
    public int length() {
        return toFull.length;
    }

    /** The full model's flat index of the sub-model's parameter {@code i}. */
    public int fullIndex(int i) {
        return toFull[i];
    }

    /** The sub-model's parameters, taken from a full model's. */
    public float[] slice(float[] fullParams) {
        checkFull(fullParams);
        float[] out = new float[toFull.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = fullParams[toFull[i]];
        }
        return out;
    }

    /** A full-length vector holding {@code subParams} where the sub-model lives and zero elsewhere. */
    public float[] embed(float[] subParams) {
        if (subParams.length != toFull.length) {
            throw new IllegalArgumentException("a sub-model of " + toFull.length + " parameters, got "
                    + subParams.length);
        }
        float[] out = new float[fullLength];
        for (int i = 0; i < subParams.length; i++) {
            out[toFull[i]] = subParams[i];
        }
        return out;
    }

    /** The full model's entries the sub-model covers. */
    public Mask coverage() {
        return Mask.fromIndices(fullLength, toFull);
    }

    private void checkFull(float[] fullParams) {
        if (fullParams.length != fullLength) {
            throw new IllegalArgumentException("a full model of " + fullLength + " parameters, got "
                    + fullParams.length);
        }
    }
}
