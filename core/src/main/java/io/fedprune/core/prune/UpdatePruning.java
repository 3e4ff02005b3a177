package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;

/**
 * TT-Prune's client-side pruning (ALGORITHMS.md §2): after the local round, the fraction
 * {@code ratio} of the hidden fully connected weights whose values moved least,
 * I_j = |w_j^local − w_j^received|, is left out of the upload; convolution kernels, the classifier
 * and biases always go whole. Left out means zero in the uploaded model, or, when clients upload
 * the update, a zero change (the trained value replaced by the received one), so a sparse codec
 * carries only the survivors either way.
 */
public final class UpdatePruning {
    private static final PruningPolicy POLICY = new PruningPolicy(new UpdateImportance(), SegmentFilter.denseOnly(),
            PruningPolicy.Scope.GLOBAL);

    private UpdatePruning() {
    }

    /** The entries kept when pruning {@code trained} at {@code ratio} against {@code received}. */
    public static Mask kept(ParameterLayout layout, float[] received, float[] trained, double ratio) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("pruning ratio must be in [0, 1), got " + ratio);
        }
        return POLICY.select(layout, trained, received, 1 - ratio);
    }

    /**
     * {@code trained} as it is uploaded after pruning at {@code ratio} (a new array; {@code ratio} 0:
     * itself).
     *
     * @param asChange the client uploads its change (trained − received): a pruned entry keeps the
     *                 received value, so its change is 0; otherwise it is 0 in the uploaded model
     */
    public static float[] prune(ParameterLayout layout, float[] received, float[] trained, double ratio,
                                boolean asChange) {
        if (ratio == 0) {
            return trained;
        }
        Mask keep = kept(layout, received, trained, ratio);
        float[] out = trained.clone();
        for (int i = 0; i < out.length; i++) {
            if (!keep.get(i)) {
                out[i] = asChange ? received[i] : 0f;
            }
        }
        return out;
    }
}
