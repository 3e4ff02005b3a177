package io.fedprune.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.prune.WidthSlice;
import org.junit.jupiter.api.Test;

/** Forward multiply-accumulates per sample, counted by hand for our two Fashion-MNIST networks. */
class ModelFlopsTest {
    static final ModelSpec MLP = new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 10);
    static final ModelSpec LENET = new ModelSpec(ModelArchitecture.LENET, 1, 28, 28, 10);

    @Test
    void theMlpCostsItsWeights() {
        assertEquals(784 * 200 + 200 * 10, ModelFlops.perSample(MLP));
        assertEquals(784 * 100 + 100 * 10, ModelFlops.perSample(MLP.withWidthRate(0.5)));
    }

    @Test
    void aConvolutionCostsItsWeightsTimesItsOutputPlane() {
        // 'same' convolutions: 28x28 -> pool 14x14 -> pool 7x7
        long conv1 = 5 * 5 * 1 * 20 * 28 * 28;
        long conv2 = 5 * 5 * 20 * 50 * 14 * 14;
        long dense = 50 * 7 * 7 * 500;
        long out = 500 * 10;
        assertEquals(conv1 + conv2 + dense + out, ModelFlops.perSample(LENET));
        long half = 5 * 5 * 1 * 10 * 28 * 28 + 5 * 5 * 10 * 25 * 14 * 14 + 25 * 7 * 7 * 250 + 250 * 10;
        assertEquals(half, ModelFlops.perSample(LENET.withWidthRate(0.5)));
    }

    @Test
    void aWidthSlicesFlopsFractionIsAboutTheRateForTheMlpAndItsSquareForTheCnn() {
        assertEquals(0.5, WidthSlice.of(MLP, 0.5).flopsFraction(), 1e-12);
        // ceil(200 / 16) = 13 hidden units
        assertEquals((784 * 13 + 13 * 10) / (double) (784 * 200 + 200 * 10), WidthSlice.of(MLP, 1.0 / 16).flopsFraction(),
                1e-12);
        assertEquals(1.0, WidthSlice.of(MLP, 1.0).flopsFraction());
        double lenetHalf = WidthSlice.of(LENET, 0.5).flopsFraction();
        assertEquals(1_729_750.0 / 6_522_000.0, lenetHalf, 1e-12);
        assertTrue(lenetHalf > 0.25 && lenetHalf < 0.3, "inner layers narrow on both sides: about r^2");
        double previous = 1.0;
        for (double rate : new double[] {0.5, 0.25, 0.125, 0.0625}) {
            double f = WidthSlice.of(LENET, rate).flopsFraction();
            assertTrue(f < previous, "narrower is cheaper: " + rate + " -> " + f);
            previous = f;
        }
    }
}
