package io.fedprune.core.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Builds the DL4J networks of {@link ModelArchitecture}. Input is always flat (N x C*H*W). */
public final class ModelFactory {
    private ModelFactory() {
    }

    public static MultiLayerNetwork build(ModelSpec spec, OptimizerSpec optimizer, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(spec, optimizer, seed));
        net.init();
        return net;
    }

    public static MultiLayerConfiguration configuration(ModelSpec spec, OptimizerSpec optimizer, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(optimizer.toUpdater())
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .list();
        switch (spec.architecture()) {
            case MLP -> list
                    .layer(new DenseLayer.Builder().nOut(spec.scaled(200)).activation(Activation.RELU).build())
                    .layer(output(spec));
            case LENET -> list
                    .layer(conv(5, spec.scaled(20)))
                    .layer(maxPool())
                    .layer(conv(5, spec.scaled(50)))
                    .layer(maxPool())
                    .layer(new DenseLayer.Builder().nOut(spec.scaled(500)).activation(Activation.RELU).build())
                    .layer(output(spec));
            case VGG_SMALL -> list
                    .layer(conv(3, spec.scaled(16)))
                    .layer(conv(3, spec.scaled(16)))
                    .layer(maxPool())
                    .layer(conv(3, spec.scaled(32)))
                    .layer(conv(3, spec.scaled(32)))
                    .layer(maxPool())
                    .layer(new DenseLayer.Builder().nOut(spec.scaled(128)).activation(Activation.RELU).build())
                    .layer(output(spec));
        }
        if (spec.architecture() == ModelArchitecture.MLP) {
            list.setInputType(InputType.feedForward(spec.inputSize()));
        } else {
            list.setInputType(InputType.convolutionalFlat(spec.height(), spec.width(), spec.channels()));
        }
        return list.build();
    }

    private static ConvolutionLayer conv(int kernel, int channels) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(1, 1).nOut(channels)
                .activation(Activation.RELU).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    private static OutputLayer output(ModelSpec spec) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                .nOut(spec.numClasses()).activation(Activation.SOFTMAX).build();
    }
}
