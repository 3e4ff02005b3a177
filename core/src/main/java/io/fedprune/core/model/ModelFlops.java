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
        MultiLayerConfiguration conf = ModelFactory.configuration(spec, OptimizerSpec.sgd(0.1), 0);
        InputType input = spec.architecture() == ModelArchitecture.MLP ? InputType.feedForward(spec.inputSize())
                : InputType.convolutionalFlat(spec.height(), spec.width(), spec.channels());
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        long total = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer c) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(i);
                int[] k = c.getKernelSize();
                total = Math.addExact(total, Math.multiplyExact((long) k[0] * k[1] * c.getNIn() * c.getNOut(),
                        out.getHeight() * out.getWidth()));
            } else if (layer instanceof FeedForwardLayer f) {
                total = Math.addExact(total, Math.multiplyExact(f.getNIn(), f.getNOut()));
            }
        }
        return total;
    }

    /** {@code sub}'s compute as a fraction of {@code full}'s. */
    public static double fraction(ModelSpec sub, ModelSpec full) {
        return (double) perSample(sub) / perSample(full);
    }
}
