package io.fedprune.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedprune.core.prune.Mask;
import org.junit.jupiter.api.Test;

class DispatchTest {

    @Test
    void theComputeScaleIsAFractionOfDenseComputeAndDefaultsToOne() {
        assertEquals(1.0, Dispatch.global().computeScale());
        Dispatch d = Dispatch.masked(Mask.all(8)).withComputeScale(0.25).withWork(LocalWork.steps(3));
        assertEquals(0.25, d.computeScale(), "kept by the other withers");
        assertEquals(1.0, d.density());
        for (double bad : new double[] {0, -0.5, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals("compute scale must be in (0, 1], got " + bad, assertThrows(IllegalArgumentException.class,
                    () -> Dispatch.global().withComputeScale(bad)).getMessage());
        }
    }
}
