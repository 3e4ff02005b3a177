package io.fedprune.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * HeteroFL's width slices: the map is a one-to-one embedding of the sub-model into the full one,
 * and a full network whose parameters outside the slice are zero computes exactly what the small
 * network computes — the slice keeps whole units and channels, nothing else.
 */
class WidthSliceTest {

    @Test
    void aZeroedFullNetworkAndItsSliceComputeTheSameFunction() {
        SplittableRandom rng = new SplittableRandom(12);
        for (ModelArchitecture arch : ModelArchitecture.values()) {
            ModelSpec full = new ModelSpec(arch, 1, 12, 12, 5);
            for (double rate : new double[] {1.0, 0.5, 0.25, 1.0 / 16}) {
                WidthSlice slice = WidthSlice.of(full, rate);
                MultiLayerNetwork big = ModelFactory.build(full, OptimizerSpec.sgd(0.1), 1);
                MultiLayerNetwork small = ModelFactory.build(slice.subSpec(), OptimizerSpec.sgd(0.1), 1);
                try {
                    assertEquals(small.numParams(), slice.length(), arch + " " + rate);
                    float[] sub = new float[slice.length()];
                    for (int i = 0; i < sub.length; i++) {
                        sub[i] = (float) (rng.nextGaussian() * 0.3);
                    }
                    float[] embedded = slice.embed(sub);
                    assertArrayEquals(sub, slice.slice(embedded), "slice(embed(x)) = x");
                    big.setParams(Nd4j.createFromArray(embedded).reshape(1, embedded.length));
                    small.setParams(Nd4j.createFromArray(sub).reshape(1, sub.length));
                    INDArray x = Nd4j.rand(3, full.inputSize());
                    float[] a = big.output(x).ravel().toFloatVector();
                    float[] b = small.output(x).ravel().toFloatVector();
                    assertArrayEquals(b, a, 1e-5f, arch + " at width " + rate);
                } finally {
                    big.close();
                    small.close();
                }
            }
        }
    }

    @Test
    void theMapIsOneToOneAndNestedAcrossRates() {
        ModelSpec full = new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 10);
        WidthSlice half = WidthSlice.of(full, 0.5);
        WidthSlice quarter = WidthSlice.of(full, 0.25);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < half.length(); i++) {
            int j = half.fullIndex(i);
            assertTrue(j >= 0 && j < 159_010);
            assertTrue(seen.add(j), "one-to-one");
        }
        // 784x100 + 100 + 100x10 + 10
        assertEquals(784 * 100 + 100 + 100 * 10 + 10, half.length());
        assertEquals(half.length(), half.coverage().cardinality());
        assertTrue(quarter.coverage().isSubsetOf(half.coverage()), "a narrower model is inside a wider one");
        WidthSlice whole = WidthSlice.of(full, 1.0);
        for (int i = 0; i < whole.length(); i++) {
            assertEquals(i, whole.fullIndex(i), "rate 1 is the identity");
        }
        assertThrows(IllegalArgumentException.class, () -> WidthSlice.of(full.withWidthRate(0.5), 0.5));
        assertThrows(IllegalArgumentException.class, () -> full.withWidthRate(0));
        assertEquals(13, new ModelSpec(ModelArchitecture.MLP, 1, 2, 2, 2, 1.0 / 16).scaled(200));
    }
}
