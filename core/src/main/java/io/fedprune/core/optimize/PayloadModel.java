package io.fedprune.core.optimize;

import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.SegmentFilter;
import io.fedprune.core.system.Checks;

/**
 * The planner's idea of an upload's size (ALGORITHMS.md §1): S(rho) = q (W - rho W_p) bits for a
 * model of W parameters of which W_p are prunable, pruned at ratio rho, plus optionally the
 * overhead of saying where the survivors are.
 *
 * <p>The overhead is modelled as what {@link SparseFloat32Codec} sends with its bitmap: a
 * ceil(W/8)-byte bitmap over the <em>whole</em> vector (the codec indexes every entry, not only the
 * prunable ones) plus its fixed header and count. ALGORITHMS.md offers the smaller of a W_p-bit
 * bitmap and an index list; we keep the bitmap alone because it is what the codec sends above
 * ~1/8 density (where TT-Prune's ratios live), because the codec never sends more than it, and
 * because a constant overhead keeps S linear in rho, which the latency-tight ratio's closed form
 * and the allocator's convexity rely on. So the plan without overhead is a lower bound on the real
 * bytes and the plan with it an upper bound, exact whenever the codec picks the bitmap (checked
 * against the codec in the tests).
 *
 * @param totalParams    W, every parameter sent
 * @param prunableParams W_p, the parameters pruning may remove (at most W)
 * @param bitsPerParam   q, 32 for float32
 * @param indexOverhead  whether {@link #bits} adds the codec's bitmap and framing
 */
public record PayloadModel(long totalParams, long prunableParams, int bitsPerParam, boolean indexOverhead) {

    public PayloadModel {
        if (totalParams <= 0) {
            throw new IllegalArgumentException("totalParams must be > 0, got " + totalParams);
        }
        if (prunableParams < 0 || prunableParams > totalParams) {
            throw new IllegalArgumentException("prunableParams must be in [0, " + totalParams + "], got "
                    + prunableParams);
        }
        if (bitsPerParam <= 0) {
            throw new IllegalArgumentException("bitsPerParam must be > 0, got " + bitsPerParam);
        }
        if (totalParams > Integer.MAX_VALUE && indexOverhead) {
            throw new IllegalArgumentException("the sparse codec indexes at most " + Integer.MAX_VALUE
                    + " parameters, got totalParams " + totalParams);
        }
    }

    /** A float32 model over {@code layout} whose {@code prunable} segments may be pruned. */
    public static PayloadModel float32(ParameterLayout layout, SegmentFilter prunable, boolean indexOverhead) {
        long wp = 0;
        for (var s : prunable.prunableSegments(layout)) {
            wp += s.length();
        }
        return new PayloadModel(layout.totalLength(), wp, 32, indexOverhead);
    }

    /** Bits of an upload pruned at {@code ratio} (the fraction of the prunable weights removed). */
    public double bits(double ratio) {
        Checks.inClosedRange("ratio", ratio, 0, 1);
        return bitsPerParam * (totalParams - ratio * prunableParams) + overheadBits();
    }

    /** -dS/drho = q W_p: bits saved per unit of pruning ratio. */
    public double bitsSavedPerRatio() {
        return (double) bitsPerParam * prunableParams;
    }

    /** Parameters that survive pruning at {@code ratio}, as the planner counts them (not rounded). */
    public double keptParams(double ratio) {
        Checks.inClosedRange("ratio", ratio, 0, 1);
        return totalParams - ratio * prunableParams;
    }

    /** The constant index-and-framing bits when {@link #indexOverhead} is on, else 0. */
    public double overheadBits() {
        return indexOverhead ? 8.0 * SparseFloat32Codec.bitmapSize((int) totalParams, 0) : 0;
    }
}
