package io.fedprune.core.train;

/**
 * How much a client trains per local round.
 *
 * @param epochs    passes over the client's shard, in [1, {@link #MAX_EPOCHS}]
 * @param maxSteps  cap on mini-batch steps per round, 0 for none, at most {@link #MAX_STEPS}
 * @param batchSize mini-batch size, in [1, {@link #MAX_BATCH_SIZE}]
 */
public record LocalTrainingConfig(int epochs, int maxSteps, int batchSize) {
    /** Far beyond any useful local round; larger values are typos that would never finish. */
    public static final int MAX_EPOCHS = 10_000;
    public static final int MAX_STEPS = 1_000_000_000;
    /** Larger than every supported training set; bounds the batch arrays a trainer allocates. */
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public LocalTrainingConfig {
        if (epochs < 1 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("local epochs must be in [1, " + MAX_EPOCHS + "], got " + epochs);
        }
        if (maxSteps < 0 || maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("max steps must be in [0, " + MAX_STEPS + "] (0 = no cap), got "
                    + maxSteps);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH_SIZE + "], got " + batchSize);
        }
    }
}
