package io.fedprune.core.prune;

import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * When training the full-width network under a {@link WidthSlice}'s coverage mask (entries
 * outside it zero before and after every step) is exactly training the narrow network.
 *
 * <p>It is when every hidden layer maps an all-zero input to zero: a unit outside the slice has
 * zero incoming weights and bias, so its pre-activation is 0 and its output f(0) must be 0
 * (ReLU, identity, tanh; not sigmoid); a pool of zero channels is zero; and its
 * outgoing weights are zero too, so it adds nothing to the next layer and no gradient flows back
 * through it into the kept entries. The optimisers are elementwise, so the kept entries take the
 * narrow network's steps (up to float summation order in the matrix products). Anything that
 * mixes units of a layer — batch or local response normalization, dropout (its random pattern
 * would differ) — breaks it, and so does any layer type not listed here: such a model is refused.
 * All of {@link ModelFactory}'s networks (MLP, LeNet, small VGG: ReLU, max pooling, no
 * normalization, no dropout) pass.
 */
public final class MaskedWidthTraining {
    private MaskedWidthTraining() {
    }

    /** Throws with a one-line reason if masked training of {@code spec}'s network is not the narrow network's. */
    public static void requireExact(ModelSpec spec) {
        requireExact(ModelFactory.configuration(spec, OptimizerSpec.sgd(0.1), 0),
                spec.architecture().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The same check on any network configuration, named {@code model} in the message. */
    static void requireExact(MultiLayerConfiguration conf, String model) {
        int n = conf.getConfs().size();
        for (int i = 0; i < n; i++) {
            Layer layer = conf.getConf(i).getLayer();
            String problem = problem(layer, i == n - 1);
            if (problem != null) {
                throw new IllegalArgumentException("model " + model + ": layer " + i + " ("
                        + layer.getClass().getSimpleName() + ") " + problem + ", so a masked full-width network would not train as the width-scaled one");
            }
        }
    }

    private static String problem(Layer layer, boolean last) {
        if (layer.getIDropout() != null) {
            return "uses dropout";
        }
        if (layer instanceof SubsamplingLayer) {
            return null; // max, average, sum and p-norm pooling all map zero channels to zero
        }
        if (last) {
            return layer instanceof OutputLayer ? null : "is not a plain output layer";
        }
        if (!(layer instanceof DenseLayer || layer instanceof ConvolutionLayer)) {
            return "is not a dense, convolution or pooling layer";
        }
        IActivation f = ((BaseLayer) layer).getActivationFn();
        double atZero = f.getActivation(Nd4j.zeros(1, 1), false).getDouble(0);
        return atZero == 0 ? null : "has activation " + f + " with f(0) = " + atZero + " != 0";
    }
}
