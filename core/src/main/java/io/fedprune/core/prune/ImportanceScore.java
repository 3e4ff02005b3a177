package io.fedprune.core.prune;

/**
 * How important each parameter is: pruning keeps the entries of highest score. Scores must not be
 * NaN (selection rejects them); ties are broken by lower index.
 */
public interface ImportanceScore {

    /**
     * One score per entry of {@code params}.
     *
     * @param reference the vector the scores are relative to (e.g. the model received before local
     *                  training), or null for scores that do not use one
     * @throws IllegalArgumentException if a needed reference is null or the lengths differ
     */
    float[] scores(float[] params, float[] reference);

    /** Shared check for scores that compare against a reference. */
    static void checkReference(String who, float[] params, float[] reference) {
        if (reference == null) {
            throw new IllegalArgumentException(who + " needs a reference vector, got null");
        }
        if (reference.length != params.length) {
            throw new IllegalArgumentException(who + ": reference has " + reference.length + " values, params have "
                    + params.length);
        }
    }
}
