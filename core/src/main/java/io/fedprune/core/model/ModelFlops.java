package io.fedprune.core.model;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Multiply-accumulates of one sample's forward pass through the weighted layers of a
 * {@link ModelFactory} network: a dense layer costs its weights (nIn x nOut), a convolution its
 * weights times its output's spatial size (kH x kW x cIn x cOut x H_out x W_out). Biases,
 * activations and pooling are left out: they are a few percent of the total and scale the same
 * way. The backward pass costs about twice the forward one layer by layer, so the ratio of two
 * networks' counts is also the ratio of their training compute — which is what this is for.
 */
public final class ModelFlops {
    private ModelFlops() {
    }

    /** Forward multiply-accumulates per sample of {@code spec}'s network. */
    public static long perSample(ModelSpec spec) {
        long total = 0;
        for (long layer : perLayer(spec)) {
            total = Math.addExact(total, layer);
        }
        return total;
    }

    /** Forward multiply-accumulates per sample of each layer of {@code spec}'s network (0 for pooling). */
    public static long[] perLayer(ModelSpec spec) {
        MultiLayerConfiguration conf = ModelFactory.configuration(spec, OptimizerSpec.sgd(0.1), 0);
        InputType input = spec.architecture() == ModelArchitecture.MLP ? InputType.feedForward(spec.inputSize())
                : InputType.convolutionalFlat(spec.height(), spec.width(), spec.channels());
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        long[] macs = new long[conf.getConfs().size()];
        for (int i = 0; i < macs.length; i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer c) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(i);
                int[] k = c.getKernelSize();
                macs[i] = Math.multiplyExact((long) k[0] * k[1] * c.getNIn() * c.getNOut(),
                        out.getHeight() * out.getWidth());
            } else if (layer instanceof FeedForwardLayer f) {
                macs[i] = Math.multiplyExact(f.getNIn(), f.getNOut());
            }
        }
        return macs;
    }

    /** {@code sub}'s compute as a fraction of {@code full}'s. */
    public static double fraction(ModelSpec sub, ModelSpec full) {
        return (double) perSample(sub) / perSample(full);
    }
}
