package io.fedprune.core.prune;

/** Score |w|: classic magnitude pruning. Ignores the reference. */
public record MagnitudeImportance() implements ImportanceScore {

    @Override
    public float[] scores(float[] params, float[] reference) {
        float[] out = new float[params.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.abs(params[i]);
        }
        return out;
    }
}
