package io.fedprune.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.core.train.TrainTask;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * HeteroFL's claim for our networks: training the full-width network under a width slice's
 * coverage (entries outside kept at 0) takes exactly the steps the narrow network takes.
 */
class MaskedWidthTrainingTest {
    static final Dataset DATA = SyntheticDataset.gaussianClusters(120, 4, 1, 8, 8, 0.3, 3);
    static final int[] ALL = IntStream.range(0, DATA.size()).toArray();

    @Test
    void maskedFullWidthTrainingIsNarrowTraining() {
        for (ModelArchitecture arch : new ModelArchitecture[] {ModelArchitecture.MLP, ModelArchitecture.LENET}) {
            ModelSpec full = new ModelSpec(arch, 1, 8, 8, 4);
            MaskedWidthTraining.requireExact(full);
            for (OptimizerSpec opt : new OptimizerSpec[] {OptimizerSpec.sgd(0.1), OptimizerSpec.adam(0.01)}) {
                WidthSlice slice = WidthSlice.of(full, 0.25);
                try (LocalTrainer wide = new LocalTrainer(full, opt, 5);
                     LocalTrainer narrow = new LocalTrainer(slice.subSpec(), opt, 5)) {
                    float[] start = wide.parameters(); // not zero outside: the trainer applies the mask
                    TrainTask masked = new TrainTask(start, DATA, ALL, 1, 4, 16, 9, slice.coverage());
                    TrainTask small = new TrainTask(slice.slice(start), DATA, ALL, 1, 4, 16, 9);
                    float[] a = wide.train(masked).params();
                    float[] b = narrow.train(small).params();
                    String what = arch + " " + opt.kind();
                    assertArrayEquals(b, slice.slice(a), 2e-5f, what);
                    assertArrayEquals(slice.embed(slice.slice(a)), a, 0f, what + ": outside the slice stays 0");
                    float[] b0 = slice.slice(start);
                    int moved = 0;
                    for (int i = 0; i < b.length; i++) {
                        moved += b[i] != b0[i] ? 1 : 0;
                    }
                    assertTrue(moved > b.length / 2, what + ": the narrow network trained (" + moved + " moved)");
                }
            }
        }
    }

    @Test
    void everyArchitectureWeBuildPasses() {
        for (ModelArchitecture arch : ModelArchitecture.values()) {
            MaskedWidthTraining.requireExact(new ModelSpec(arch, 1, 28, 28, 10));
        }
    }

    static MultiLayerConfiguration mlp(org.deeplearning4j.nn.conf.layers.Layer hidden) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(hidden)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(16)).build();
    }

    @Test
    void aLayerThatMixesUnitsOrMovesZeroIsRefused() {
        IllegalArgumentException sigmoid = assertThrows(IllegalArgumentException.class, () -> MaskedWidthTraining
                .requireExact(mlp(new DenseLayer.Builder().nOut(8).activation(Activation.SIGMOID).build()), "x"));
        assertTrue(sigmoid.getMessage().startsWith("model x: layer 0 (DenseLayer) has activation"), sigmoid.getMessage());
        assertTrue(sigmoid.getMessage().contains("f(0) = 0.5"), sigmoid.getMessage());
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class, () -> MaskedWidthTraining
                .requireExact(mlp(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).dropOut(0.5).build()), "x"));
        assertTrue(dropout.getMessage().contains("uses dropout"), dropout.getMessage());
        MultiLayerConfiguration bn = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(16)).build();
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class,
                () -> MaskedWidthTraining.requireExact(bn, "x"));
        assertEquals("model x: layer 1 (BatchNormalization) is not a dense, convolution or pooling layer, so a masked "
                + "full-width network would not train as the width-scaled one", norm.getMessage());
    }
}
