package io.fedprune.core.prune;

/**
 * Score (w - ref)^2 (adaptive pruning and personalization, ALGORITHMS.md §3). It ranks exactly like
 * {@link UpdateImportance} except where squaring underflows to 0 or overflows to infinity; it is
 * kept separate so a run records the paper's formula and the scores can be reused as magnitudes.
 */
public record SquaredUpdateImportance() implements ImportanceScore {

    @Override
    public float[] scores(float[] params, float[] reference) {
        ImportanceScore.checkReference("SquaredUpdateImportance", params, reference);
        float[] out = new float[params.length];
        for (int i = 0; i < out.length; i++) {
            float d = params[i] - reference[i];
            out[i] = d * d;
        }
        return out;
    }
}
