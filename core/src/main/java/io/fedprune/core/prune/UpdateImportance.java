package io.fedprune.core.prune;

/**
 * Score |w - ref|: the size of the local update (TT-Prune, ALGORITHMS.md §2), with {@code ref} the
 * model the client received. Weights the local data barely moved are the ones pruned.
 */
public record UpdateImportance() implements ImportanceScore {

    @Override
    public float[] scores(float[] params, float[] reference) {
        ImportanceScore.checkReference("UpdateImportance", params, reference);
        float[] out = new float[params.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.abs(params[i] - reference[i]);
        }
        return out;
    }
}
