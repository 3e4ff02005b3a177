package io.fedprune.core.split;

import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelFlops;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Where a {@link ModelSpec}'s network is cut: the client holds layers {@code 0 .. cut-1}, the
 * server layers {@code cut .. n-1} (ALGORITHMS.md §4's L_c = {@code cut}). The server always
 * keeps the output layer, so {@code cut} is in 1 .. n-1.
 *
 * @param activationShape the shape of one sample's activations at the cut as DL4J holds them:
 *                        {@code [units]} after a dense layer, {@code [channels, height, width]}
 *                        after a convolution or pooling layer
 */
public record CutPoint(ModelSpec spec, int cut, long[] activationShape, double clientComputeFraction) {

    public CutPoint {
        activationShape = activationShape.clone();
    }

    /** @throws IllegalArgumentException naming the valid range when {@code cut} is outside it */
    public static CutPoint of(ModelSpec spec, int cut) {
        MultiLayerConfiguration conf = ModelFactory.configuration(spec, OptimizerSpec.sgd(0.1), 0);
        int layers = conf.getConfs().size();
        if (cut < 1 || cut > layers - 1) {
            throw new IllegalArgumentException("cut layer " + cut + " is out of range for " + spec.architecture()
                    + " (" + layers + " layers): expected 1.." + (layers - 1));
        }
        InputType input = spec.architecture() == ModelArchitecture.MLP ? InputType.feedForward(spec.inputSize())
                : InputType.convolutionalFlat(spec.height(), spec.width(), spec.channels());
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        InputType at = outputs.get(cut - 1);
        long[] shape;
        if (at instanceof InputType.InputTypeConvolutional c) {
            shape = new long[] {c.getChannels(), c.getHeight(), c.getWidth()};
        } else if (at instanceof InputType.InputTypeFeedForward f) {
            shape = new long[] {f.getSize()};
        } else {
            throw new IllegalArgumentException("cannot cut " + spec.architecture() + " after layer " + (cut - 1)
                    + ": its output is " + at);
        }
        long[] macs = ModelFlops.perLayer(spec);
        long client = 0;
        long total = 0;
        for (int i = 0; i < macs.length; i++) {
            total += macs[i];
            client += i < cut ? macs[i] : 0;
        }
        return new CutPoint(spec, cut, shape, (double) client / total);
    }

    /** Number of layers of the unsplit network. */
    public static int layerCount(ModelSpec spec) {
        return ModelFactory.configuration(spec, OptimizerSpec.sgd(0.1), 0).getConfs().size();
    }

    @Override
    public long[] activationShape() {
        return activationShape.clone();
    }

    /** Activation values per sample at the cut: A(L_c) of ALGORITHMS.md §4. */
    public int activationSize() {
        long n = 1;
        for (long d : activationShape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** The batch shape of {@code batch} samples' activations: {@code [batch, ...activationShape]}. */
    long[] batchShape(int batch) {
        long[] s = new long[activationShape.length + 1];
        s[0] = batch;
        System.arraycopy(activationShape, 0, s, 1, activationShape.length);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CutPoint c && spec.equals(c.spec) && cut == c.cut;
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + cut;
    }

    @Override
    public String toString() {
        return spec.architecture() + " cut at " + cut + " (activations " + Arrays.toString(activationShape) + ")";
    }
}
