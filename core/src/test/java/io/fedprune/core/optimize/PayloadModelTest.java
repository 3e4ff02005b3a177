package io.fedprune.core.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.MagnitudeImportance;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.PruningPolicy;
import io.fedprune.core.prune.SegmentFilter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DESIGN.md §5: the planner's payload formula and the codec's real bytes agree within the index overhead. */
class PayloadModelTest {

    /** An MLP-like layout: hidden FC 784x200 + bias, output 200x10 + bias. */
    private static ParameterLayout mlp() {
        return new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 784 * 200, new long[] {784, 200}),
                new ParameterSegment("0_b", 0, SegmentKind.BIAS, 784 * 200, 200, new long[] {1, 200}),
                new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 784 * 200 + 200, 2000, new long[] {200, 10}),
                new ParameterSegment("1_b", 1, SegmentKind.BIAS, 784 * 200 + 2200, 10, new long[] {1, 10})));
    }

    @Test
    void prunableCountFollowsTheFilter() {
        PayloadModel fcOnly = PayloadModel.float32(mlp(), SegmentFilter.denseOnly(), false);
        assertEquals(159_010, fcOnly.totalParams());
        assertEquals(156_800, fcOnly.prunableParams());
        assertEquals(32 * 156_800.0, fcOnly.bitsSavedPerRatio());
    }

    @Test
    void planAndTheSparseCodecsBytesAgreeWithinTheIndexOverhead() {
        ParameterLayout layout = mlp();
        SplittableRandom rng = new SplittableRandom(5);
        PruningPolicy policy = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.denseOnly(),
                PruningPolicy.Scope.GLOBAL);
        var codec = new SparseFloat32Codec(layout.totalLength(), layout.fingerprint());
        // what a run sends with codec.uplink = "sparse"
        var chain = io.fedprune.core.compress.WireCodecs.forSpec(CodecChainSpec.parse("sparse"), layout);
        PayloadModel bare = PayloadModel.float32(layout, SegmentFilter.denseOnly(), false);
        PayloadModel indexed = PayloadModel.float32(layout, SegmentFilter.denseOnly(), true);
        for (double rho : new double[] {0, 0.1, 0.37, 0.5, 0.8, 0.9, 0.99}) {
            float[] params = new float[layout.totalLength()];
            for (int i = 0; i < params.length; i++) {
                params[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            Mask keep = policy.select(layout, params, null, 1 - rho);
            keep.applyTo(params);
            double realBits = 8.0 * codec.encode(params).length;
            // TopK keeps round((1 - rho) W_p) entries: the plan's count can differ by half an entry
            double roundingBits = 32 * 0.5;
            assertEquals(realBits + 64, 8.0 * chain.encode(params).length,
                    rho + ": the sparse chain adds its 8-byte framing to the codec's bytes");
            if (bare.keptParams(rho) / bare.totalParams() > 0.15) {
                // well above 1/8 density the codec sends the bitmap: the plan with overhead is exact
                assertEquals(indexed.bits(rho), realBits, roundingBits, rho + ": bitmap payload");
            }
            assertTrue(realBits >= bare.bits(rho) - roundingBits, rho + ": real " + realBits + " >= plan " + bare.bits(rho));
            assertTrue(realBits <= indexed.bits(rho) + roundingBits,
                    rho + ": real " + realBits + " <= plan with index " + indexed.bits(rho));
            assertTrue(realBits - bare.bits(rho) <= bare.overheadBits() + indexed.overheadBits() + roundingBits);
        }
        assertEquals(8.0 * (20 + 5 + (layout.totalLength() + 7) / 8), indexed.overheadBits());
    }

    @Test
    void unprunedPlanMatchesTheDenseCodecUpToItsHeader() {
        ParameterLayout layout = mlp();
        var dense = io.fedprune.core.compress.WireCodecs.forSpec(CodecChainSpec.parse("dense"), layout);
        byte[] bytes = dense.encode(new float[layout.totalLength()]);
        PayloadModel bare = PayloadModel.float32(layout, SegmentFilter.denseOnly(), false);
        assertEquals(bare.bits(0) + 8 * 20, 8.0 * bytes.length, "dense = 4 bytes per parameter + the 20-byte header");
    }
}
